/**
 * The operators' side: the {@code admin:} streams (their access rule, the per-instance samples on
 * {@code admin:system} and {@code admin:performance}), the REST actions on the running system
 * (connection listing and force-disconnect, the activity log, saved dashboards, alerts, system
 * health), the alert commands of {@code /ws/admin} and the audit trail every admin action writes.
 * Reads other features' entities, acts through their services and uses the engine's relay for
 * disconnect orders; nothing depends on this package.
 */
package com.pdprime.realtime.admin;

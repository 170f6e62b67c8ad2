/**
 * Instance liveness: the realtime_instances heartbeat, and the takeover of instances that died.
 * Depends on connections (journal, identity) and presence.
 */
package com.pdprime.realtime.instances;

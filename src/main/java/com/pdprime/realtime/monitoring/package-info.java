/**
 * Watching the running system: every metric in one place, the monitors and their watchdog, and the
 * alert lifecycle on {@code system_alerts} with its events on {@code admin:alerts}. Depends on the
 * engine's publishing ({@code rooms.PublishService}) and the instance's identity; features plug
 * monitors in through {@link com.pdprime.realtime.monitoring.Monitor}.
 */
package com.pdprime.realtime.monitoring;

/**
 * The application's timers: every periodic and delayed task runs on the container's managed
 * scheduler through {@link Timers}, which stops them all at once when the application stops.
 * Depends on nothing of the application; every package may use it.
 */
package com.pdprime.realtime.scheduling;

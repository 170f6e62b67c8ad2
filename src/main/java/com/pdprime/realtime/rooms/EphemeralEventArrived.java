package com.pdprime.realtime.rooms;

/**
 * An ephemeral event reached this instance through the relay, from whichever instance sent it.
 * Features that keep the latest of a stream for new subscribers (each instance's last sample on
 * {@code admin:system}) observe it; delivery to subscribers does not depend on it.
 */
public record EphemeralEventArrived(EphemeralEvent event) {}

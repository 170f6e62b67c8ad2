package com.pdprime.realtime.rooms;

/**
 * Where a REST publish put its event: {@code replayed} when an earlier request with the same
 * idempotency key had already stored it, and this one stored nothing.
 */
public record Publication(String room, String epoch, long seq, boolean replayed) {}

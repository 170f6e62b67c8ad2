package com.pdprime.realtime.rooms;

/**
 * A place in a room's durable history: the epoch (which history) and the last sequence number seen.
 * {@code seq} 0 means "before the first event".
 */
public record Position(String epoch, long seq) {}

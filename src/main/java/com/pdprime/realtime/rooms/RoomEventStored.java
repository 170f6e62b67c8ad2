package com.pdprime.realtime.rooms;

/**
 * Raised inside the publishing transaction; observers that deliver it must observe {@code
 * AFTER_SUCCESS} so that only committed events ever reach a socket.
 */
public record RoomEventStored(StoredEvent event) {}

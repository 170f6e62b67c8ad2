package com.pdprime.realtime.rooms;

/**
 * A connection on this instance no longer receives the room's events: it unsubscribed, lost the
 * room on a token refresh, or closed. Fired exactly once for each {@link SubscriberJoined}.
 */
public record SubscriberLeft(RoomName room, String connectionId) {}

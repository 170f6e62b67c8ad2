package com.pdprime.realtime.rooms;

/**
 * A connection on this instance now receives the room's events. Fired once per subscription, after
 * the subscribe is answered; a feature that serves a room's audience (a dashboard stream) counts
 * these rather than asking the engine for its subscribers.
 */
public record SubscriberJoined(RoomName room, String connectionId) {}

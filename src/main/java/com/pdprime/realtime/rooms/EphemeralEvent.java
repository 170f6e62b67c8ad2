package com.pdprime.realtime.rooms;

import jakarta.json.JsonObject;

/**
 * A room event that is never stored, numbered or replayed: presence, typing, progress. Whoever is
 * subscribed when it passes gets it; nobody else ever does.
 */
public record EphemeralEvent(RoomName room, String name, long tsMillis, JsonObject data) {}

package com.pdprime.realtime.rooms;

import jakarta.json.JsonObject;

/** A durable room event as committed to history: its room, place ({@code epoch}, {@code seq}) and body. */
public record StoredEvent(
    RoomName room, String epoch, long seq, String name, long publishedAtMillis, JsonObject data) {}

package com.pdprime.realtime.rooms;

import jakarta.json.JsonObject;

/** An event a REST publisher sent that passed every check: ready to be stored. */
public record PublishRequest(RoomName room, String name, JsonObject data) {}

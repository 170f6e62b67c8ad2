package com.pdprime.realtime.presence;

/** A user in a room, whatever the connection: what presence announces joins and leaves of. */
public record RoomMember(String room, String subject) {}

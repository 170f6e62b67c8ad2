package com.pdprime.realtime.protocol;

import com.pdprime.realtime.rooms.Position;
import com.pdprime.realtime.rooms.RoomName;

/** A validated client command. Every command has the client's {@code id}, named in its one reply. */
public sealed interface Command {
  String id();

  record Ping(String id) implements Command {}

  /** {@code since} is null for a fresh subscription, or where the client wants to resume from. */
  record Subscribe(String id, RoomName room, Position since) implements Command {}

  record Unsubscribe(String id, RoomName room) implements Command {}

  /** Who is in a room the client is subscribed to. */
  record Presence(String id, RoomName room) implements Command {}
}

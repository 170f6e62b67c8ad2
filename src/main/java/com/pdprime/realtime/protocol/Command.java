package com.pdprime.realtime.protocol;

import com.pdprime.realtime.rooms.Position;
import com.pdprime.realtime.rooms.RoomName;
import jakarta.json.JsonValue;

/**
 * A validated client command. Every command has the client's {@code id}, named in its one reply.
 */
public sealed interface Command {
  String id();

  record Ping(String id) implements Command {}

  /** {@code since} is null for a fresh subscription, or where the client wants to resume from. */
  record Subscribe(String id, RoomName room, Position since) implements Command {}

  record Unsubscribe(String id, RoomName room) implements Command {}

  /** Who is in a room the client is subscribed to. */
  record Presence(String id, RoomName room) implements Command {}

  /** The current state of a room the client is subscribed to, as a fresh subscription gets it. */
  record Snapshot(String id, RoomName room) implements Command {}

  /** Set one quote field, if its version is still the one the editor saw; null clears it. */
  record Edit(String id, RoomName room, String field, JsonValue value, long version)
      implements Command {}

  /** The user started editing a field (shown to the room as "X is editing F"). */
  record Focus(String id, RoomName room, String field) implements Command {}

  /** The user stopped editing a field. */
  record Blur(String id, RoomName room, String field) implements Command {}

  /** Replace the connection's token before it expires; access to every room is checked again. */
  record Refresh(String id, String token) implements Command {}

  /** Start a premium calculation; progress and the result arrive in the quote's room. */
  record Calculate(String id, RoomName room) implements Command {}

  /** An operator takes an open alert on: others see who handles it (only on /ws/admin). */
  record Acknowledge(String id, long alertId) implements Command {}

  /** An operator closes an alert by hand; recorded with who did it (only on /ws/admin). */
  record Resolve(String id, long alertId) implements Command {}

  /** Marks one of the caller's notifications read; their other sockets are told. */
  record NotificationRead(String id, String notificationId) implements Command {}

  /** Marks every delivered notification of the caller read. */
  record NotificationReadAll(String id) implements Command {}
}

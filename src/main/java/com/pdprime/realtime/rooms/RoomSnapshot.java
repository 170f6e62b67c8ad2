package com.pdprime.realtime.rooms;

import com.pdprime.realtime.security.Caller;
import jakarta.json.JsonObject;
import java.util.Optional;

/**
 * The current state of rooms of one type, as the caller may see it: sent with a fresh subscription
 * and with every {@code recovered: false}, so a client never has to guess what it missed.
 */
public interface RoomSnapshot {
  RoomType type();

  /** Empty for a room of this type that keeps no state. */
  Optional<JsonObject> snapshot(Caller caller, RoomName room);
}

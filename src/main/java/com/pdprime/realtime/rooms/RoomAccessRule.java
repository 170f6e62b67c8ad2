package com.pdprime.realtime.rooms;

import com.pdprime.realtime.security.Caller;
import java.util.Optional;

/** The explicit access rule of one room type. */
public interface RoomAccessRule {
  RoomType type();

  AccessDecision decide(Caller caller, RoomName room);

  /**
   * What is wrong with a well-formed key that names nothing this type can serve (a dashboard filter
   * out of range), asked only of callers the rule granted; empty when the key is fine.
   */
  default Optional<String> invalidKey(RoomName room) {
    return Optional.empty();
  }

  /**
   * Whether only the server writes this room (a computed dashboard): REST publishers are refused,
   * so nobody can put figures the server did not compute in front of its viewers.
   */
  default boolean serverOnly(RoomName room) {
    return false;
  }
}

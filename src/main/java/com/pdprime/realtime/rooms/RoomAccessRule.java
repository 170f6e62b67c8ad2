package com.pdprime.realtime.rooms;

import com.pdprime.realtime.security.Caller;

/** The explicit access rule of one room type. */
public interface RoomAccessRule {
  RoomType type();

  AccessDecision decide(Caller caller, RoomName room);
}

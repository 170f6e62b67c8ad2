package com.pdprime.realtime.rooms;

import com.pdprime.realtime.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code user:{subject}} is that subject's alone: no permission opens another user's room. */
@ApplicationScoped
public class UserRoomRule implements RoomAccessRule {
  @Override
  public RoomType type() {
    return RoomType.USER;
  }

  @Override
  public AccessDecision decide(Caller caller, RoomName room) {
    return caller.subject().equals(room.key()) ? AccessDecision.GRANTED : AccessDecision.FORBIDDEN;
  }
}

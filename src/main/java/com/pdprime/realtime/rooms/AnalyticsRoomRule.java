package com.pdprime.realtime.rooms;

import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code analytics:{dashboard}} is open to holders of {@code analytics:view}, and no one else. */
@ApplicationScoped
public class AnalyticsRoomRule implements RoomAccessRule {
  @Override
  public RoomType type() {
    return RoomType.ANALYTICS;
  }

  @Override
  public AccessDecision decide(Caller caller, RoomName room) {
    return caller.has(Permissions.ANALYTICS_VIEW)
        ? AccessDecision.GRANTED
        : AccessDecision.FORBIDDEN;
  }
}

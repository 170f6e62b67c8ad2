package com.pdprime.realtime.analytics;

import com.pdprime.realtime.rooms.AccessDecision;
import com.pdprime.realtime.rooms.RoomAccessRule;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomType;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * {@code analytics:} rooms are open to holders of {@code analytics:read}, and no one else; a
 * dashboard room must also name its filter correctly ({@link DashboardFilter}).
 */
@ApplicationScoped
public class AnalyticsRoomRule implements RoomAccessRule {
  @Override
  public RoomType type() {
    return RoomType.ANALYTICS;
  }

  @Override
  public AccessDecision decide(Caller caller, RoomName room) {
    return caller.has(Permissions.ANALYTICS_READ)
        ? AccessDecision.GRANTED
        : AccessDecision.FORBIDDEN;
  }

  /** Dashboard rooms, and names shaped like one (with parameters or a dashboard's name). */
  @Override
  public boolean serverOnly(RoomName room) {
    try {
      return DashboardFilter.of(room).isPresent();
    } catch (DashboardFilter.InvalidFilter invalid) {
      return true;
    }
  }

  @Override
  public Optional<String> invalidKey(RoomName room) {
    try {
      DashboardFilter.of(room);
      return Optional.empty();
    } catch (DashboardFilter.InvalidFilter invalid) {
      return Optional.of(invalid.getMessage());
    }
  }
}

package com.pdprime.realtime.rooms;

import com.pdprime.realtime.security.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides room access by the one rule of the room's type; a type without a rule is closed to all.
 */
@ApplicationScoped
public class RoomAccessPolicy {
  @Inject Instance<RoomAccessRule> rules;

  private final Map<RoomType, RoomAccessRule> byType = new EnumMap<>(RoomType.class);

  @PostConstruct
  void index() {
    for (RoomAccessRule rule : rules) {
      RoomAccessRule previous = byType.put(rule.type(), rule);
      if (previous != null) {
        throw new IllegalStateException("two access rules for room type " + rule.type());
      }
    }
  }

  public AccessDecision decide(Caller caller, RoomName room) {
    RoomAccessRule rule = byType.get(room.type());
    return rule == null ? AccessDecision.FORBIDDEN : rule.decide(caller, room);
  }

  public boolean serverOnly(RoomName room) {
    RoomAccessRule rule = byType.get(room.type());
    return rule != null && rule.serverOnly(room);
  }

  public Optional<String> invalidKey(RoomName room) {
    RoomAccessRule rule = byType.get(room.type());
    return rule == null ? Optional.empty() : rule.invalidKey(room);
  }
}

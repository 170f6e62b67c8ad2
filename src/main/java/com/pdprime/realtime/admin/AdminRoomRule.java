package com.pdprime.realtime.admin;

import com.pdprime.realtime.rooms.AccessDecision;
import com.pdprime.realtime.rooms.RoomAccessRule;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomType;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * The operators' streams and who may watch them: {@code admin:activity} (what admins did) needs
 * {@code audit:read}; the others {@code admin:access}, which the {@code /ws/admin} handshake has
 * already required. The engine keeps every {@code admin:} room off {@code /ws}.
 */
@ApplicationScoped
public class AdminRoomRule implements RoomAccessRule {
  static final Map<String, String> STREAMS =
      Map.of(
          "system", Permissions.ADMIN_ACCESS,
          "performance", Permissions.ADMIN_ACCESS,
          "alerts", Permissions.ADMIN_ACCESS,
          "activity", Permissions.AUDIT_READ);

  @Override
  public RoomType type() {
    return RoomType.ADMIN;
  }

  @Override
  public AccessDecision decide(Caller caller, RoomName room) {
    if (!caller.has(Permissions.ADMIN_ACCESS)) {
      return AccessDecision.FORBIDDEN;
    }
    String permission = STREAMS.get(stream(room));
    if (permission == null) {
      return AccessDecision.NOT_FOUND;
    }
    return caller.has(permission) ? AccessDecision.GRANTED : AccessDecision.FORBIDDEN;
  }

  @Override
  public Optional<String> invalidKey(RoomName room) {
    return room.key().contains(";")
        ? Optional.of(
            "admin streams take no parameters: subscribe to admin:" + stream(room) + " itself")
        : Optional.empty();
  }

  /** Only the server writes the operators' streams. */
  @Override
  public boolean serverOnly(RoomName room) {
    return true;
  }

  private static String stream(RoomName room) {
    int semicolon = room.key().indexOf(';');
    return semicolon < 0 ? room.key() : room.key().substring(0, semicolon);
  }
}

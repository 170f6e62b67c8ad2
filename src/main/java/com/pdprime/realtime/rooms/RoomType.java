package com.pdprime.realtime.rooms;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The kinds of room there are. A room name is {@code prefix:key}; each type says what a valid key
 * is.
 */
public enum RoomType {
  /** One user's private room: notifications and anything addressed to that subject. */
  USER("user", Pattern.compile("[A-Za-z0-9._@|:-]{1,128}"), true),
  /** Everyone working on one quote. */
  QUOTE(
      "quote",
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
      true),
  /**
   * One live dashboard, optionally with {@code ;name=value} parameters (a dashboard's filter, whose
   * meaning the room's access rule checks), watched by up to every agent at once. No presence:
   * announcing each of thousands of viewers to all the others would cost the square of the audience
   * and tell nobody anything useful.
   */
  ANALYTICS(
      "analytics",
      Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}(;[a-z]{1,16}=[A-Za-z0-9._@|:-]{1,128}){0,4}"),
      false),
  /**
   * One operators' stream ({@code admin:system}, {@code admin:alerts}, ...), with parameters like a
   * dashboard's; reachable only on {@code /ws/admin}. No presence: admins watching are not news.
   */
  ADMIN(
      "admin",
      Pattern.compile("[a-z][a-z0-9-]{0,31}(;[a-z]{1,16}=[A-Za-z0-9._@|:,-]{1,128}){0,4}"),
      false);

  private final String prefix;
  private final Pattern key;
  private final boolean presence;

  RoomType(String prefix, Pattern key, boolean presence) {
    this.prefix = prefix;
    this.key = key;
    this.presence = presence;
  }

  public String prefix() {
    return prefix;
  }

  /** Whether only connections of the operators' endpoint {@code /ws/admin} may enter. */
  public boolean operatorsOnly() {
    return this == ADMIN;
  }

  /** Whether subscriptions to rooms of this type are recorded and announced as presence. */
  public boolean hasPresence() {
    return presence;
  }

  boolean accepts(String candidate) {
    if (!key.matcher(candidate).matches()) {
      return false;
    }
    return this != QUOTE || UUID.fromString(candidate).toString().equalsIgnoreCase(candidate);
  }

  static Optional<RoomType> ofPrefix(String prefix) {
    for (RoomType type : values()) {
      if (type.prefix.equals(prefix)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}

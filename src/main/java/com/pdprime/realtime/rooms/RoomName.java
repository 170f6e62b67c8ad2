package com.pdprime.realtime.rooms;

import java.util.Locale;

/**
 * A typed room name such as {@code quote:3f1c…} or {@code user:alice}. Only {@link #parse} makes
 * one, so a RoomName in hand is always well formed; whether the caller may enter it is a separate
 * question ({@link RoomAccessPolicy}).
 */
public record RoomName(RoomType type, String key) {

  public static RoomName parse(String text) throws InvalidRoomName {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new InvalidRoomName(false, "room '" + text + "' is not of the form type:key");
    }
    String prefix = text.substring(0, colon);
    RoomType type =
        RoomType.ofPrefix(prefix)
            .orElseThrow(
                () -> new InvalidRoomName(true, "room type '" + prefix + "' does not exist"));
    String key = text.substring(colon + 1);
    if (!type.accepts(key)) {
      throw new InvalidRoomName(
          false, "'" + key + "' is not a valid key for a " + prefix + " room");
    }
    return new RoomName(type, type == RoomType.QUOTE ? key.toLowerCase(Locale.ROOT) : key);
  }

  @Override
  public String toString() {
    return type.prefix() + ":" + key;
  }

  /** Why a text is not a room name; {@code unknownType} tells an unknown prefix from a bad key. */
  public static final class InvalidRoomName extends Exception {
    private final boolean unknownType;

    InvalidRoomName(boolean unknownType, String message) {
      super(message, null, false, false);
      this.unknownType = unknownType;
    }

    public boolean unknownType() {
      return unknownType;
    }
  }
}

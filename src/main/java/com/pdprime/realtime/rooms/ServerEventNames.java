package com.pdprime.realtime.rooms;

import java.util.List;

/**
 * The event names only the server itself publishes: the quote feature's {@code quote.*}, presence's
 * {@code presence.*}, the dashboards' {@code dashboard.*}, the notifications' {@code notification}
 * and {@code notification.*}, and the admin console's {@code alert.*} and {@code admin.*}
 * (docs/protocol.md §4.3). Clients trust them — a {@code quote.premium.calculated} is shown as a
 * premium, an {@code alert.raised} as the system's alarm — so a REST publisher may not use them, or
 * it could show amounts to users without {@code premium:view} or fake who changed what.
 */
public final class ServerEventNames {
  private static final List<String> RESERVED_PREFIXES =
      List.of("quote.", "presence.", "dashboard.", "notification.", "alert.", "admin.");
  // A notification event's data is trusted as a notification of the inbox: a forged one could show
  // any title as if the platform had sent it.
  private static final List<String> RESERVED_NAMES = List.of("notification");

  private ServerEventNames() {}

  public static boolean reserved(String name) {
    return RESERVED_NAMES.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /**
   * The reserved families as documented, e.g. for an error message: {@code quote.*, presence.*}.
   */
  public static String families() {
    return String.join(
        ", ",
        java.util.stream.Stream.concat(
                RESERVED_NAMES.stream(), RESERVED_PREFIXES.stream().map(p -> p + "*"))
            .toList());
  }
}

package com.pdprime.realtime.rooms;

import java.util.List;

/**
 * The event names only the server itself publishes: the quote feature's {@code quote.*}, presence's
 * {@code presence.*} and the dashboards' {@code dashboard.*} (docs/protocol.md §4.3). Clients trust
 * them — a {@code quote.premium.calculated} is shown as a premium — so a REST publisher may not use
 * them, or it could show amounts to users without {@code premium:view} or fake who changed what.
 */
public final class ServerEventNames {
  private static final List<String> RESERVED_PREFIXES =
      List.of("quote.", "presence.", "dashboard.");

  private ServerEventNames() {}

  public static boolean reserved(String name) {
    return RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /**
   * The reserved families as documented, e.g. for an error message: {@code quote.*, presence.*}.
   */
  public static String families() {
    return String.join(", ", RESERVED_PREFIXES.stream().map(p -> p + "*").toList());
  }
}

package com.pdprime.realtime.admin;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One page of the connection listing: optional exact filters by user, instance and state, newest
 * connection first, continuing after the last row of the previous page. The cursor names that row
 * (its connect time in microseconds, the resolution both databases store, and its id), so a page
 * neither skips nor repeats rows when new connections arrive.
 */
public record ConnectionQuery(String user, String instance, String state, int limit, Cursor after) {
  static final Set<String> STATES = Set.of("OPEN", "CLOSED");

  static final Set<String> PARAMETERS = Set.of("user", "instance", "state", "limit", "after");

  /** Eighteen digits always fit a long: no overflow to catch. */
  private static final Pattern CURSOR = Pattern.compile("([0-9]{1,18})_([0-9a-f-]{36})");

  /** The position of a row in the listing's order. */
  public record Cursor(Instant connectedAt, String id) {
    String text() {
      long micros =
          Math.addExact(
              Math.multiplyExact(connectedAt.getEpochSecond(), 1_000_000L),
              connectedAt.getNano() / 1_000L);
      return micros + "_" + id;
    }
  }

  static ConnectionQuery parse(
      String user, String instance, String state, String limit, String after) {
    if (state != null && !STATES.contains(state)) {
      throw Refusal.invalidParameter(
          "state",
          "must be OPEN or CLOSED",
          "Leave state out to list both, or give OPEN or CLOSED.");
    }
    return new ConnectionQuery(
        PageParameters.text("user", user, 200),
        PageParameters.text("instance", instance, 100),
        state,
        PageParameters.limit(limit),
        cursor(after));
  }

  private static Cursor cursor(String text) {
    if (text == null) {
      return null;
    }
    Matcher matcher = CURSOR.matcher(text);
    if (!matcher.matches()) {
      throw Refusal.invalidParameter(
          "after",
          "is not a cursor of this listing",
          "Pass the 'next' value of the previous page unchanged, or leave after out.");
    }
    long micros = Long.parseLong(matcher.group(1));
    return new Cursor(
        Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L),
        matcher.group(2));
  }
}

package com.pdprime.realtime.admin;

import com.pdprime.realtime.security.LogSafe;

/**
 * The query parameters the admin listings share: a page size and exact-match text filters. A filter
 * that is present must be usable; an empty one is refused rather than read as "no filter".
 */
final class PageParameters {
  /** Fifty rows fill a console table; 200 bounds what one request reads and sends. */
  static final int DEFAULT_LIMIT = 50;

  static final int MAX_LIMIT = 200;

  private PageParameters() {}

  static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    if (!text.matches("[0-9]{1,3}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > MAX_LIMIT) {
      throw Refusal.invalidParameter(
          "limit",
          "must be a whole number from 1 to " + MAX_LIMIT,
          "Leave limit out for " + DEFAULT_LIMIT + " rows, or ask for 1 to " + MAX_LIMIT + ".");
    }
    return Integer.parseInt(text);
  }

  /** An exact-match filter: absent is no filter; present, it is 1 to {@code max} characters. */
  static String text(String name, String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.isEmpty() || value.length() > max || LogSafe.hasControlCharacters(value)) {
      throw Refusal.invalidParameter(
          name,
          "must be 1 to " + max + " characters without control characters",
          "Leave " + name + " out to list all, or give the exact value.");
    }
    return value;
  }
}

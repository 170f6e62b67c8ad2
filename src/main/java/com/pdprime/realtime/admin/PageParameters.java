package com.pdprime.realtime.admin;

import com.pdprime.realtime.security.LogSafe;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters the admin listings share: a page size and exact-match text filters. A filter
 * that is present must be usable; an empty one is refused rather than read as "no filter".
 */
final class PageParameters {
  /** Fifty rows fill a console table; 200 bounds what one request reads and sends. */
  static final int DEFAULT_LIMIT = 50;

  static final int MAX_LIMIT = 200;

  private PageParameters() {}

  /**
   * Every parameter is one the listing reads, given once: a misspelt filter would otherwise list
   * everything, and a repeated one would be decided by whichever copy the runtime picks.
   */
  static void requireKnown(Map<String, List<String>> query, Set<String> known) {
    for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
      if (!known.contains(parameter.getKey())) {
        throw new Refusal(
            400,
            "INVALID_PARAMETER",
            "unknown parameter " + LogSafe.quote(parameter.getKey()),
            "Use only " + new TreeSet<>(known) + ".");
      }
      if (parameter.getValue().size() > 1) {
        throw Refusal.invalidParameter(
            parameter.getKey(), "is given more than once", "Give each parameter at most once.");
      }
    }
  }

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

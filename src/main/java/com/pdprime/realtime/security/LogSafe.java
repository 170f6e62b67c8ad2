package com.pdprime.realtime.security;

/**
 * Request-derived text made safe for one log line: control characters (a newline would forge a log
 * entry) are escaped and the length is bounded, so no caller decides what the log says.
 */
public final class LogSafe {
  /** Enough to recognise a value; an attacker's megabyte stays out of the log. */
  static final int MAX_CHARS = 120;

  private LogSafe() {}

  /** The value in double quotes with control characters escaped, or {@code -} for none. */
  public static String quote(String value) {
    if (value == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 16).append('"');
    int shown = Math.min(value.length(), MAX_CHARS);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (isControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
    if (value.length() > shown) {
      out.append("…(+").append(value.length() - shown).append(" chars)");
    }
    return out.toString();
  }

  public static boolean hasControlCharacters(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** C0, DEL, C1 (NEL among them) and the Unicode line and paragraph separators. */
  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}

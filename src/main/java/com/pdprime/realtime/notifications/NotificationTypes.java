package com.pdprime.realtime.notifications;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Notification type names: dotted lower-case words such as {@code quote.expiring} or {@code
 * rates.changed}. The platform's own types are listed here; {@code security.*} and the
 * critical-only types can never be muted.
 */
public final class NotificationTypes {
  public static final String QUOTE_CALCULATED = "quote.calculated";
  public static final String QUOTE_BOUND = "quote.bound";
  public static final String QUOTE_EXPIRING = "quote.expiring";
  public static final String QUOTE_EXPIRED = "quote.expired";

  static final int MAX_LENGTH = 100;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*");
  private static final String SECURITY = "security.";

  /** Types only ever sent as critical: muting them would promise a silence that cannot happen. */
  private static final Set<String> CRITICAL_ONLY = Set.of(QUOTE_BOUND);

  private NotificationTypes() {}

  static boolean valid(String type) {
    return type.length() <= MAX_LENGTH && NAME.matcher(type).matches();
  }

  /** Never muted, never held: security notices and anything sent as critical. */
  static boolean alwaysAtOnce(String type, Priority priority) {
    return priority == Priority.CRITICAL || type.startsWith(SECURITY);
  }

  /** Whether a recipient may put the type on their muted list. */
  static boolean mutable(String type) {
    return !type.startsWith(SECURITY) && !CRITICAL_ONLY.contains(type);
  }
}

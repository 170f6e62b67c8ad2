package com.pdprime.realtime.testing;

/** The JSON body of POST /api/v1/notifications, as the integration tests send it. */
public final class NotificationBody {
  private NotificationBody() {}

  /** {@code extra} is more fields, each starting with a comma, or empty. */
  public static String of(
      String recipient, String type, String priority, String title, String extra) {
    return "{\"recipient\":\""
        + recipient
        + "\",\"type\":\""
        + type
        + "\",\"priority\":\""
        + priority
        + "\",\"title\":\""
        + title
        + "\",\"body\":\"Body of "
        + title
        + "\""
        + extra
        + "}";
  }
}

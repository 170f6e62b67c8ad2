package com.pdprime.realtime.security;

/** The permission names the server checks; they arrive as entries of the token's groups claim. */
public final class Permissions {
  /** Read any quote (agents); a customer reads only their own without it. */
  public static final String QUOTE_READ = "quote:read";

  /** Create and change quotes. */
  public static final String QUOTE_WRITE = "quote:write";

  /** See premium amounts; withheld from everyone else. */
  public static final String PREMIUM_VIEW = "premium:view";

  /** Watch the live analytics dashboards ({@code analytics:} rooms). */
  public static final String ANALYTICS_READ = "analytics:read";

  /** Open the operators' socket {@code /ws/admin} and its {@code admin:} rooms. */
  public static final String ADMIN_ACCESS = "admin:access";

  /** Read the admins' activity log ({@code admin:activity}). */
  public static final String AUDIT_READ = "audit:read";

  /** Publish events into rooms through the REST API (backend services). */
  public static final String REALTIME_PUBLISH = "realtime:publish";

  /** Send notifications to any user through the REST API (backend services). */
  public static final String NOTIFICATIONS_SEND = "notifications:send";

  private Permissions() {}
}

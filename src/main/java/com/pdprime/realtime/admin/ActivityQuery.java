package com.pdprime.realtime.admin;

import java.util.Set;

/**
 * One page of the activity log: optional exact filters by admin (token subject) and action, newest
 * first, continuing below the row id {@code after} (the previous page's {@code next}).
 */
public record ActivityQuery(String admin, String action, int limit, Long after) {
  static final Set<String> PARAMETERS = Set.of("admin", "action", "limit", "after");

  static ActivityQuery parse(String admin, String action, String limit, String after) {
    if (action != null && !action.matches("(?=.{1,100}$)[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
      throw Refusal.invalidParameter(
          "action",
          "must be dotted lower-case words, at most 100 characters",
          "Leave action out to list all, or give one like user.disconnect.");
    }
    if (after != null && !after.matches("[1-9][0-9]{0,17}")) {
      throw Refusal.invalidParameter(
          "after",
          "is not a cursor of this listing",
          "Pass the 'next' value of the previous page unchanged, or leave after out.");
    }
    return new ActivityQuery(
        PageParameters.text("admin", admin, 200),
        action,
        PageParameters.limit(limit),
        after == null ? null : Long.valueOf(after));
  }

  /** For the audit row of the view itself. */
  String describe() {
    return "admin="
        + (admin == null ? "*" : admin)
        + " action="
        + (action == null ? "*" : action)
        + " limit="
        + limit
        + " after="
        + (after == null ? "-" : after);
  }
}

package com.pdprime.realtime.notifications;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held notifications of one recipient with one collapse key become one: the latest (by creation,
 * then id, so every instance picks the same) is delivered, the others are superseded and removed.
 * Rows without a key never collapse. Delivered rows are not touched: the recipient has seen them.
 */
public final class Collapse {
  private Collapse() {}

  /** Which of the given held rows to deliver and which they supersede. */
  public record Outcome(List<Notification> deliver, List<Notification> superseded) {}

  public static Outcome of(List<Notification> held) {
    Map<String, Notification> latest = new LinkedHashMap<>();
    List<Notification> deliver = new ArrayList<>();
    List<Notification> superseded = new ArrayList<>();
    Comparator<Notification> newer =
        Comparator.comparing(Notification::createdAt).thenComparing(Notification::id);
    for (Notification row : held) {
      if (row.collapseKey() == null) {
        deliver.add(row);
        continue;
      }
      String group = row.recipient() + "\u0000" + row.collapseKey();
      Notification kept = latest.get(group);
      if (kept == null) {
        latest.put(group, row);
      } else if (newer.compare(row, kept) > 0) {
        superseded.add(kept);
        latest.put(group, row);
      } else {
        superseded.add(row);
      }
    }
    deliver.addAll(latest.values());
    deliver.sort(newer);
    return new Outcome(List.copyOf(deliver), List.copyOf(superseded));
  }
}

package com.pdprime.realtime.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollapseTest {
  private static final DeliveryPlan HELD =
      new DeliveryPlan(NotificationState.HELD, Instant.parse("2026-12-02T14:00:00Z"));

  private static Notification held(String id, String recipient, String key, String createdAt) {
    return new Notification(
        id,
        new NotificationRequest(
            recipient,
            "rates.changed",
            Priority.NORMAL,
            "Rates",
            id,
            JsonValue.EMPTY_JSON_OBJECT,
            key),
        Notification.Origin.BACKEND,
        Instant.parse(createdAt),
        HELD,
        null);
  }

  private static List<String> ids(List<Notification> rows) {
    return rows.stream().map(Notification::id).toList();
  }

  @Test
  void threeHeldRateChangesWithOneKeyBecomeTheLatest() {
    Notification first = held("a", "carol", "rates:CA", "2026-12-02T08:00:00Z");
    Notification second = held("b", "carol", "rates:CA", "2026-12-02T08:01:00Z");
    Notification third = held("c", "carol", "rates:CA", "2026-12-02T08:02:00Z");
    Collapse.Outcome outcome = Collapse.of(List.of(second, third, first));
    assertEquals(List.of("c"), ids(outcome.deliver()));
    assertEquals(List.of("a", "b"), ids(outcome.superseded()).stream().sorted().toList());
  }

  @Test
  void otherKeysOtherRecipientsAndNoKeyAreKeptApart() {
    Collapse.Outcome outcome =
        Collapse.of(
            List.of(
                held("a", "carol", "rates:CA", "2026-12-02T08:00:00Z"),
                held("b", "carol", "rates:NY", "2026-12-02T08:01:00Z"),
                held("c", "dave", "rates:CA", "2026-12-02T08:02:00Z"),
                held("d", "carol", null, "2026-12-02T08:03:00Z"),
                held("e", "carol", null, "2026-12-02T08:04:00Z")));
    assertEquals(List.of("a", "b", "c", "d", "e"), ids(outcome.deliver()));
    assertEquals(List.of(), outcome.superseded());
  }

  @Test
  void aTieInTimeIsBrokenByIdSoEveryInstancePicksTheSame() {
    Notification x = held("x", "carol", "k", "2026-12-02T08:00:00Z");
    Notification y = held("y", "carol", "k", "2026-12-02T08:00:00Z");
    assertEquals(List.of("y"), ids(Collapse.of(List.of(y, x)).deliver()));
    assertEquals(List.of("y"), ids(Collapse.of(List.of(x, y)).deliver()));
  }
}

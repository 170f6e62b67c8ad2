package com.pdprime.realtime.notifications;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The stored row of a subject's {@link Preferences}: times as {@code HH:mm} text, muted types as
 * one comma-separated list (type names hold no commas), so both databases store them alike.
 */
@Entity
@Table(name = "notification_preferences")
public class NotificationPreferences {
  @Id
  @Column(name = "subject", length = 200)
  private String subject;

  @Column(name = "time_zone", length = 64)
  private String timeZone;

  @Column(name = "quiet_start", length = 5)
  private String quietStart;

  @Column(name = "quiet_end", length = 5)
  private String quietEnd;

  @Column(name = "muted_types", nullable = false, length = 4000)
  private String mutedTypes;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected NotificationPreferences() {}

  void set(Preferences preferences, Instant at) {
    timeZone = preferences.timeZone() == null ? null : preferences.timeZone().getId();
    QuietHours quiet = preferences.quietHours();
    quietStart = quiet == null ? null : Preferences.HH_MM.format(quiet.start());
    quietEnd = quiet == null ? null : Preferences.HH_MM.format(quiet.end());
    mutedTypes = String.join(",", new TreeSet<>(preferences.mutedTypes()));
    updatedAt = at;
  }

  Preferences value() {
    Set<String> muted =
        mutedTypes.isEmpty()
            ? Set.of()
            : Arrays.stream(mutedTypes.split(",")).collect(Collectors.toSet());
    return new Preferences(
        timeZone == null ? null : ZoneId.of(timeZone),
        quietStart == null
            ? null
            : new QuietHours(LocalTime.parse(quietStart), LocalTime.parse(quietEnd)),
        muted);
  }
}

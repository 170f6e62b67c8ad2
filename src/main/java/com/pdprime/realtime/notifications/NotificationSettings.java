package com.pdprime.realtime.notifications;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configured business window, default zone and rate limit (META-INF/microprofile-config.
 * properties explains each value). A value that does not parse stops the start: a window silently
 * replaced by a default would deliver at hours nobody chose.
 */
@ApplicationScoped
public class NotificationSettings {
  @Inject
  @ConfigProperty(name = "realtime.notifications.business.opens")
  String opens;

  @Inject
  @ConfigProperty(name = "realtime.notifications.business.closes")
  String closes;

  @Inject
  @ConfigProperty(name = "realtime.notifications.business.days")
  String days;

  @Inject
  @ConfigProperty(name = "realtime.notifications.default-zone")
  String defaultZone;

  @Inject
  @ConfigProperty(name = "realtime.notifications.rate.max")
  int rateMax;

  @Inject
  @ConfigProperty(name = "realtime.notifications.rate.window-seconds")
  long rateWindowSeconds;

  @Inject NotificationClock clock;

  private BusinessWindow window;
  private ZoneId zone;
  private final FederalHolidays holidays = new FederalHolidays();

  @PostConstruct
  void parse() {
    try {
      window = new BusinessWindow(LocalTime.parse(opens), LocalTime.parse(closes), weekdays(days));
      zone = ZoneId.of(defaultZone);
    } catch (DateTimeException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "realtime.notifications.business.* or default-zone is invalid: " + e.getMessage(), e);
    }
    if (rateMax < 1 || rateWindowSeconds < 1) {
      throw new IllegalStateException(
          "realtime.notifications.rate.max and rate.window-seconds must be at least 1");
    }
  }

  private static Set<DayOfWeek> weekdays(String text) {
    Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
    for (String day : text.split(",")) {
      String name = day.trim().toUpperCase(Locale.ROOT);
      set.add(
          EnumSet.allOf(DayOfWeek.class).stream()
              .filter(d -> d.name().startsWith(name) && name.length() >= 3)
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("'" + day + "' is not a weekday (MON…SUN)")));
    }
    return set;
  }

  public BusinessWindow window() {
    return window;
  }

  public BusinessHours hours() {
    return new BusinessHours(window, holidays, clock.clock());
  }

  public ZoneId defaultZone() {
    return zone;
  }

  public int rateMax() {
    return rateMax;
  }

  public long rateWindowSeconds() {
    return rateWindowSeconds;
  }
}

package com.pdprime.realtime.analytics;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.quotes.FieldCatalog;
import com.pdprime.realtime.quotes.QuoteFilter;
import com.pdprime.realtime.rooms.RoomName;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A dashboard with its filter, as its room names it: {@code
 * analytics:quotes;hours=24;state=TX;agent=ada}. Only the canonical spelling is a dashboard room —
 * parameters in the order hours, state, agent, each once, hours without leading zeros — so one
 * filter is one room is one stream. {@code state} and {@code agent} are absent when they do not
 * filter (all states, all agents).
 */
public record DashboardFilter(Dashboard dashboard, int hours, String state, String agent) {
  static final int MAX_HOURS = 168;
  private static final List<String> ORDER = List.of("hours", "state", "agent");
  private static final Pattern HOURS = Pattern.compile("[1-9][0-9]{0,2}");

  /**
   * The dashboard a room names, or empty for an {@code analytics:} room that names none (a room fed
   * by backend services through REST).
   */
  static Optional<DashboardFilter> of(RoomName room) throws InvalidFilter {
    String[] parts = room.key().split(";", -1);
    Optional<Dashboard> dashboard = Dashboard.named(parts[0]);
    if (parts.length == 1) {
      if (dashboard.isPresent()) {
        throw new InvalidFilter(
            room + " needs its time window: " + room + ";hours=24 (1 to " + MAX_HOURS + " hours)");
      }
      return Optional.empty();
    }
    if (dashboard.isEmpty()) {
      throw new InvalidFilter(
          "there is no dashboard '" + parts[0] + "'; the dashboards are " + Dashboard.names());
    }
    Integer hours = null;
    String state = null;
    String agent = null;
    int last = -1;
    for (int i = 1; i < parts.length; i++) {
      String[] pair = parts[i].split("=", 2);
      int position = ORDER.indexOf(pair[0]);
      if (position < 0) {
        throw new InvalidFilter(
            "'" + pair[0] + "' is not a dashboard filter; the filters are hours, state and agent");
      }
      if (position <= last) {
        throw new InvalidFilter(
            "filters go in the order hours, state, agent, each at most once; '"
                + pair[0]
                + "' is out of place");
      }
      last = position;
      switch (pair[0]) {
        case "hours" -> hours = hours(pair[1]);
        case "state" -> state = state(pair[1]);
        default -> agent = pair[1];
      }
    }
    if (hours == null) {
      throw new InvalidFilter("hours is required: the time window, 1 to " + MAX_HOURS);
    }
    if (!dashboard.get().takesQuoteFilters() && (state != null || agent != null)) {
      throw new InvalidFilter(
          "the " + dashboard.get().key() + " dashboard is filtered by hours only");
    }
    return Optional.of(new DashboardFilter(dashboard.get(), hours, state, agent));
  }

  private static int hours(String text) throws InvalidFilter {
    if (!HOURS.matcher(text).matches() || Integer.parseInt(text) > MAX_HOURS) {
      throw new InvalidFilter(
          "hours must be a whole number from 1 to "
              + MAX_HOURS
              + " without leading zeros, not '"
              + text
              + "'");
    }
    return Integer.parseInt(text);
  }

  private static String state(String text) throws InvalidFilter {
    if (!FieldCatalog.STATES.contains(text)) {
      throw new InvalidFilter(
          "state must be a US state code in capitals (or DC), not '" + text + "'");
    }
    return text;
  }

  /** Where the window starts at {@code now}. */
  Instant from(Instant now) {
    return now.minus(Duration.ofHours(hours));
  }

  QuoteFilter quotes(Instant now) {
    return new QuoteFilter(from(now), state, agent);
  }

  JsonObject toJson() {
    JsonObjectBuilder json = JSON.createObjectBuilder().add("hours", hours);
    if (state != null) {
      json.add("state", state);
    }
    if (agent != null) {
      json.add("agent", agent);
    }
    return json.build();
  }

  /** Why a room names a dashboard wrongly: told to the client as {@code INVALID_FILTER}. */
  static final class InvalidFilter extends Exception {
    InvalidFilter(String message) {
      super(message, null, false, false);
    }
  }
}

package com.pdprime.realtime.notifications;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subject's notification preferences: a time-zone override (null: derived, see {@link
 * RecipientZones}), quiet hours (null: none) and the types they muted.
 */
public record Preferences(ZoneId timeZone, QuietHours quietHours, Set<String> mutedTypes) {
  static final Preferences NONE = new Preferences(null, null, Set.of());
  static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  public Preferences {
    mutedTypes = Set.copyOf(mutedTypes);
  }

  boolean muted(String type) {
    return mutedTypes.contains(type);
  }

  JsonObject toJson(ZoneId effectiveZone) {
    JsonObjectBuilder json = JSON.createObjectBuilder();
    if (timeZone == null) {
      json.addNull("timeZone");
    } else {
      json.add("timeZone", timeZone.getId());
    }
    json.add("effectiveTimeZone", effectiveZone.getId());
    if (quietHours == null) {
      json.addNull("quietHours");
    } else {
      json.add(
          "quietHours",
          JSON.createObjectBuilder()
              .add("start", HH_MM.format(quietHours.start()))
              .add("end", HH_MM.format(quietHours.end())));
    }
    JsonArrayBuilder muted = JSON.createArrayBuilder();
    new TreeSet<>(mutedTypes).forEach(muted::add);
    return json.add("mutedTypes", muted).build();
  }
}

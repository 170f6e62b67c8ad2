package com.pdprime.realtime.notifications;

import com.pdprime.realtime.quotes.CustomerLocations;
import com.pdprime.realtime.quotes.CustomerLocations.CustomerLocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Who a recipient is for delivery: a customer (held for business hours) or not, and the zone their
 * hours are counted in — their stored preference, else their US state's zone ({@link StateZones}),
 * else {@code realtime.notifications.default-zone}.
 */
@ApplicationScoped
public class RecipientZones {
  @Inject CustomerLocations customers;
  @Inject NotificationSettings settings;

  /** A recipient as delivery sees them. */
  public record Recipient(boolean customer, ZoneId zone) {}

  public Recipient of(String subject, Preferences preferences) {
    Optional<CustomerLocation> customer = customers.find(subject);
    ZoneId zone = preferences.timeZone();
    if (zone == null) {
      zone = customer.flatMap(c -> StateZones.of(c.usState())).orElse(settings.defaultZone());
    }
    return new Recipient(customer.isPresent(), zone);
  }
}

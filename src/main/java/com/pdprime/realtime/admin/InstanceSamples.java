package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.EphemeralEventArrived;
import com.pdprime.realtime.rooms.RoomName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The last sample of every instance on {@code admin:system} and {@code admin:performance}, as heard
 * through the relay: what a new subscriber gets before the next round arrives. A plain CDI bean,
 * since it sees every ephemeral event the relay delivers.
 */
@ApplicationScoped
public class InstanceSamples {
  @Inject
  @ConfigProperty(name = "realtime.admin.sample-interval-ms")
  long intervalMillis;

  private final Map<RoomName, Map<String, JsonObject>> latest =
      Map.of(
          InstanceSampler.SYSTEM,
          new ConcurrentHashMap<>(),
          InstanceSampler.PERFORMANCE,
          new ConcurrentHashMap<>());

  void heard(@Observes EphemeralEventArrived arrived) {
    Map<String, JsonObject> samples = latest.get(arrived.event().room());
    if (samples != null) {
      samples.put(arrived.event().data().getString("instance"), arrived.event().data());
    }
  }

  /** The samples of every instance heard within three intervals; empty for other rooms. */
  Optional<JsonObject> snapshot(RoomName room) {
    Map<String, JsonObject> samples = latest.get(room);
    if (samples == null) {
      return Optional.empty();
    }
    Instant freshAfter = Instant.now().minusMillis(3 * intervalMillis);
    JsonObjectBuilder instances = JSON.createObjectBuilder();
    samples.forEach(
        (id, sample) -> {
          if (Instant.parse(sample.getString("at")).isAfter(freshAfter)) {
            instances.add(id, sample);
          }
        });
    return Optional.of(
        JSON.createObjectBuilder()
            .add("intervalMs", intervalMillis)
            .add("instances", instances)
            .build());
  }
}

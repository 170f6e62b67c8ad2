package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.api.IdempotencyKeys;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Publishes with an {@code Idempotency-Key}: the key is claimed in the transaction that stores the
 * event (see {@link IdempotencyKeys}), so a retry gets the first event's place and stores nothing.
 * The event is not announced here: {@link KeyedPublisher} announces it once it knows the
 * transaction committed, also when the commit's answer was lost ({@link CheckedCommits}).
 */
@Stateless
public class IdempotentPublishService {
  @Inject IdempotencyKeys keys;
  @Inject PublishService publisher;

  /**
   * The first publish of the key stores its event and notes it in {@code noted} (with the
   * transaction's id); a retry notes nothing and gets the first one's place.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public Publication publish(
      String publishedBy,
      String key,
      RoomName room,
      String name,
      JsonObject data,
      GroupTransaction noted)
      throws IdempotencyKeyConflict {
    Optional<JsonObject> earlier = keys.claim(publishedBy, key, fingerprint(room, name, data));
    if (earlier.isPresent()) {
      return replayed(earlier.get());
    }
    StoredEvent event =
        publisher
            .storeAll(
                List.of(new AuthoredEvent(new PublishRequest(room, name, data), publishedBy)),
                noted)
            .get(0);
    keys.record(
        publishedBy,
        key,
        JSON.createObjectBuilder()
            .add("room", room.toString())
            .add("epoch", event.epoch())
            .add("seq", event.seq())
            .build());
    return new Publication(room.toString(), event.epoch(), event.seq(), false);
  }

  /** The committed publish of this key, if any, read in a transaction of its own. */
  public Optional<Publication> find(
      String publishedBy, String key, RoomName room, String name, JsonObject data)
      throws IdempotencyKeyConflict {
    return keys.find(publishedBy, key, fingerprint(room, name, data))
        .map(IdempotentPublishService::replayed);
  }

  private static Publication replayed(JsonObject place) {
    return new Publication(
        place.getString("room"),
        place.getString("epoch"),
        place.getJsonNumber("seq").longValueExact(),
        true);
  }

  private static String fingerprint(RoomName room, String name, JsonObject data) {
    return IdempotencyKeys.fingerprint("publish", room.toString(), name, data.toString());
  }
}

package com.pdprime.realtime.rooms;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * The one way a durable event enters a room: stored with the room's next seq, then announced.
 * Features (quotes, notifications, backend REST publishers) call this; none of them talks to
 * sockets.
 */
@Stateless
public class PublishService {
  @Inject RoomEventStore store;
  @Inject Event<RoomEventsStored> stored;

  public StoredEvent publish(RoomName room, String name, JsonObject data, String publishedBy) {
    return publish(room, name, data, JsonValue.EMPTY_JSON_OBJECT, publishedBy);
  }

  /**
   * Publishes with {@code guarded}: permission → fields only holders of that permission receive.
   */
  public StoredEvent publish(
      RoomName room, String name, JsonObject data, JsonObject guarded, String publishedBy) {
    StoredEvent event = store.append(room, name, data, guarded, publishedBy);
    stored.fire(new RoomEventsStored(List.of(event)));
    return event;
  }

  /**
   * Stores the events of one batch in one transaction, then announces each, in request order: a
   * room's events are announced in seq order, and none is delivered unless all of them committed.
   */
  public List<StoredEvent> publishAll(List<PublishRequest> requests, String publishedBy) {
    return publishAll(requests.stream().map(r -> new AuthoredEvent(r, publishedBy)).toList());
  }

  /**
   * Stores events of many publishers in one transaction (a group commit, {@link PublishSequencer}),
   * then announces each in the given order, as {@link #publishAll(List, String)} does.
   */
  public List<StoredEvent> publishAll(List<AuthoredEvent> authored) {
    List<StoredEvent> events = store.appendAll(authored);
    stored.fire(new RoomEventsStored(events));
    return events;
  }
}

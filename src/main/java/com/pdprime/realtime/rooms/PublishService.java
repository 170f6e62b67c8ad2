package com.pdprime.realtime.rooms;

import com.pdprime.realtime.persistence.TransactionOutcomes;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The one way a durable event enters a room: stored with the room's next seq, then announced.
 * Features (quotes, notifications, backend REST publishers) call this; none of them talks to
 * sockets.
 */
@Stateless
public class PublishService {
  @PersistenceContext EntityManager em;
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
   * Stores the events of one publish-queue message in the caller's transaction, then announces each
   * once it committed, in request order: a room's events are announced in seq order, and none is
   * delivered unless all of them committed.
   */
  public List<StoredEvent> publishAll(List<PublishRequest> requests, String publishedBy) {
    List<StoredEvent> events =
        store.appendAll(requests.stream().map(r -> new AuthoredEvent(r, publishedBy)).toList());
    stored.fire(new RoomEventsStored(events));
    return events;
  }

  /**
   * Stores events in one transaction (a group commit or a batch) without announcing them: {@link
   * CheckedCommits} announces them once it knows they committed, also when the commit's answer was
   * lost. Notes the transaction's id first and its events last.
   */
  public List<StoredEvent> storeAll(List<AuthoredEvent> authored, GroupTransaction noted) {
    try {
      noted.began(TransactionOutcomes.currentId(em.unwrap(Connection.class)));
    } catch (SQLException e) {
      throw new PersistenceException("the transaction's id could not be read", e);
    }
    List<StoredEvent> events = store.appendAll(authored);
    noted.stored(events);
    return events;
  }
}

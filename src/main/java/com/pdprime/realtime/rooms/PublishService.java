package com.pdprime.realtime.rooms;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

/**
 * The one way a durable event enters a room: stored with the room's next seq, then announced. Features
 * (quotes, notifications, backend REST publishers) call this; none of them talks to sockets.
 */
@Stateless
public class PublishService {
  @Inject RoomEventStore store;
  @Inject Event<RoomEventStored> stored;

  public StoredEvent publish(RoomName room, String name, JsonObject data, String publishedBy) {
    StoredEvent event = store.append(room, name, data, publishedBy);
    stored.fire(new RoomEventStored(event));
    return event;
  }
}

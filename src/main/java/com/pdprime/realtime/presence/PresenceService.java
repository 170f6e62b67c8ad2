package com.pdprime.realtime.presence;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.relay.RoomRelay;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Who is in a room, across every instance: each subscription is a row in {@code room_presence}. A
 * user, not a connection, is what others see: {@code presence.join} is announced when a user's
 * first connection enters a room and {@code presence.leave} when the last one leaves, so a user
 * with many tabs costs the room one event, not one per tab sent to every tab. Rows of an instance
 * that died are removed by the instance that notices (see InstanceLiveness), with leave events, so
 * presence is right within that bound.
 */
@ApplicationScoped
public class PresenceService {
  @Inject PresenceStore store;
  @Inject RoomRelay relay;
  @Inject InstanceIdentity instance;

  private final ConcurrentLinkedQueue<String> departed = new ConcurrentLinkedQueue<>();

  /** Records and announces a subscription; rooms of a type without presence are left alone. */
  public void joined(String connectionId, RoomName room, String subject, String displayName) {
    if (!room.type().hasPresence()) {
      return;
    }
    if (store.join(connectionId, room.toString(), instance.id(), subject, displayName)) {
      announce("presence.join", room, connectionId, subject, displayName);
    }
  }

  public void left(String connectionId, RoomName room) {
    if (!room.type().hasPresence()) {
      return;
    }
    departures(store.leave(connectionId, room.toString())).forEach(this::announceLeave);
  }

  /**
   * The connection closed: its rows go at the next departure flush ({@link PresenceDepartures}),
   * with those of every connection closed meanwhile. Queued here, in a plain bean, so that the
   * thread that saw the close does no database work and calls no EJB.
   */
  public void departed(String connectionId) {
    departed.add(connectionId);
  }

  /** Removes the rows of the connections departed so far and announces each user gone. */
  void flushDepartures() {
    List<String> batch = new ArrayList<>();
    for (String connectionId; (connectionId = departed.poll()) != null; ) {
      batch.add(connectionId);
    }
    if (!batch.isEmpty()) {
      try {
        departures(store.leaveAll(batch)).forEach(this::announceLeave);
      } catch (RuntimeException e) {
        throw new DeparturesFailed(batch, e);
      }
    }
  }

  public void instanceStopped(String instanceId) {
    departures(store.removeInstance(instanceId)).forEach(this::announceLeave);
  }

  /**
   * Of the removed rows, one per (room, user) that has no connection left in the room. Counted
   * after the removal committed, in a transaction of its own: of two last connections leaving at
   * once, the one that commits second sees the first one's removal too, so a leave is never missed
   * (it may be announced twice).
   */
  private List<PresenceEntry> departures(List<PresenceEntry> removed) {
    Map<RoomMember, PresenceEntry> byMember = new LinkedHashMap<>();
    for (PresenceEntry entry : removed) {
      byMember.putIfAbsent(new RoomMember(entry.room(), entry.subject()), entry);
    }
    if (byMember.isEmpty()) {
      return List.of();
    }
    byMember.keySet().removeAll(store.stillPresent(byMember.keySet()));
    return List.copyOf(byMember.values());
  }

  /** The room's members: one entry per subject with its display name and number of connections. */
  public JsonObject members(RoomName room) {
    Map<String, PresenceEntry> first = new LinkedHashMap<>();
    Map<String, Integer> connections = new LinkedHashMap<>();
    for (PresenceEntry entry : store.inRoom(room.toString())) {
      first.putIfAbsent(entry.subject(), entry);
      connections.merge(entry.subject(), 1, Integer::sum);
    }
    JsonArrayBuilder members = JSON.createArrayBuilder();
    first.forEach(
        (subject, entry) ->
            members.add(
                JSON.createObjectBuilder()
                    .add("subject", subject)
                    .add("name", entry.displayName())
                    .add("connections", connections.get(subject))));
    return JSON.createObjectBuilder().add("room", room.toString()).add("members", members).build();
  }

  private void announceLeave(PresenceEntry entry) {
    try {
      announce(
          "presence.leave",
          RoomName.parse(entry.room()),
          entry.connectionId(),
          entry.subject(),
          entry.displayName());
    } catch (RoomName.InvalidRoomName e) {
      throw new IllegalStateException("room_presence holds an invalid room " + entry.room(), e);
    }
  }

  private void announce(
      String name, RoomName room, String connectionId, String subject, String displayName) {
    relay.send(
        new EphemeralEvent(
            room,
            name,
            System.currentTimeMillis(),
            JSON.createObjectBuilder()
                .add("subject", subject)
                .add("name", displayName)
                .add("connectionId", connectionId)
                .build()));
  }
}

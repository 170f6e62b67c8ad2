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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is in a room, across every instance: each subscription is a row in {@code room_presence}, and
 * every join and leave is announced to the room as an ephemeral {@code presence.join} / {@code
 * presence.leave} event. Rows of an instance that died are removed by the instance that notices
 * (see InstanceLiveness), with leave events, so presence is right within that bound.
 */
@ApplicationScoped
public class PresenceService {
  @Inject PresenceStore store;
  @Inject RoomRelay relay;
  @Inject InstanceIdentity instance;

  /** Records and announces a subscription; rooms of a type without presence are left alone. */
  public void joined(String connectionId, RoomName room, String subject, String displayName) {
    if (!room.type().hasPresence()) {
      return;
    }
    store.join(connectionId, room.toString(), instance.id(), subject, displayName);
    announce("presence.join", room, connectionId, subject, displayName);
  }

  public void left(String connectionId, RoomName room) {
    if (!room.type().hasPresence()) {
      return;
    }
    store.leave(connectionId, room.toString()).forEach(this::announceLeave);
  }

  public void leftAll(String connectionId) {
    store.leaveAll(connectionId).forEach(this::announceLeave);
  }

  public void instanceStopped(String instanceId) {
    store.removeInstance(instanceId).forEach(this::announceLeave);
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

package com.pdprime.realtime.presence;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.DatabaseProbe;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.persistence.RetriedBatches;
import com.pdprime.realtime.relay.RoomRelay;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

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
  /** Changes kept while the database does not answer: a reconnect storm of 10,000 is ~20,000. */
  private static final int KEPT_CHANGES = 100_000;

  @Inject PresenceStore store;
  @Inject RoomRelay relay;
  @Inject InstanceIdentity instance;
  @Inject RealtimeMetrics metrics;

  @Inject DatabaseProbe database;

  private final ConcurrentLinkedQueue<PresenceChange> pending = new ConcurrentLinkedQueue<>();
  private final Object flushing = new Object();

  // Lambdas, not method references: the injected fields are read when a flush runs.
  private final RetriedBatches<PresenceChange> batches =
      new RetriedBatches<>(
          "presence changes",
          KEPT_CHANGES,
          this::write,
          PresenceService::describe,
          () -> database.roundTrip().up(),
          new RetriedBatches.Counters(
              () -> metrics.presenceFailed(), () -> metrics.presenceDropped()));

  /**
   * Records and announces a subscription at the next flush; rooms of a type without presence are
   * left alone.
   */
  public void joined(String connectionId, RoomName room, String subject, String displayName) {
    if (room.type().hasPresence()) {
      pending.add(
          new PresenceChange.Join(
              new PresenceEntry(
                  connectionId,
                  room.toString(),
                  instance.id(),
                  subject,
                  displayName,
                  Instant.now())));
    }
  }

  public void left(String connectionId, RoomName room) {
    if (room.type().hasPresence()) {
      pending.add(new PresenceChange.Leave(connectionId, room.toString()));
    }
  }

  /** The connection closed: every row of it goes at the next flush. */
  public void departed(String connectionId) {
    pending.add(new PresenceChange.Departure(connectionId));
  }

  /**
   * Writes the changes queued since the last flush as one transaction and announces each user who
   * arrived in or left a room ({@link PresenceFlush} calls it every interval). The changes are
   * queued so that the thread that carried out a subscribe, unsubscribe or close does no database
   * work for presence and calls no EJB: in a reconnect storm that work kept HTTP workers from the
   * handshakes still waiting (bench/RESULTS.md). One flush at a time, so changes are written in the
   * order they were made. Changes the database could not take are written with the next flush's
   * ({@link RetriedBatches}), so after an outage the rows of connections closed during it go and
   * the users who came during it are there.
   */
  void flush() {
    synchronized (flushing) {
      List<PresenceChange> changes = new ArrayList<>();
      for (PresenceChange change; (change = pending.poll()) != null; ) {
        changes.add(change);
      }
      batches.write(changes);
    }
  }

  /**
   * Writes the net effect of the changes and announces it. The announcements follow the commit: if
   * what follows it fails, the changes are written again (a no-op by then) and the announcements
   * are lost, as they are for changes that wait out an outage (they are made when written, from
   * what the database then holds).
   */
  private void write(List<PresenceChange> changes, boolean retried) {
    PresenceBatch batch = PresenceBatch.of(changes);
    if (batch.isEmpty()) {
      return;
    }
    PresenceStore.Written written = store.write(batch, retried);
    List<PresenceEntry> touched = new ArrayList<>(written.removed());
    touched.addAll(written.inserted());
    Set<RoomMember> presentAfter = presentAfterCommit(touched);
    announceOncePerMember(
        "presence.join",
        written.inserted(),
        member -> !written.presentBefore().contains(member) && presentAfter.contains(member));
    announceOncePerMember(
        "presence.leave", written.removed(), member -> !presentAfter.contains(member));
  }

  private static String describe(PresenceChange change) {
    if (change instanceof PresenceChange.Join join) {
      PresenceEntry entry = join.entry();
      return "join of connection " + entry.connectionId() + " to " + entry.room();
    }
    return change.toString();
  }

  /** Removes everything a stopped instance left behind and announces each user gone. */
  public void instanceStopped(String instanceId) {
    List<PresenceEntry> removed = store.removeInstance(instanceId);
    Set<RoomMember> presentAfter = presentAfterCommit(removed);
    announceOncePerMember("presence.leave", removed, member -> !presentAfter.contains(member));
  }

  /**
   * Who of the given rows' users is still in their room, read after the rows' changes committed, in
   * a transaction of its own: of two last connections leaving at once, the one that commits second
   * sees the first one's removal too, so a leave is never missed (it may be announced twice).
   */
  private Set<RoomMember> presentAfterCommit(List<PresenceEntry> entries) {
    Set<RoomMember> members = new HashSet<>();
    entries.forEach(entry -> members.add(entry.member()));
    return members.isEmpty() ? Set.of() : store.stillPresent(members);
  }

  /**
   * The room's members as the last flushes wrote them, one entry per subject with its display name
   * and number of connections, with the asking connection listed though its own join may not be
   * written yet. Other connections' changes not yet written are not seen, on this instance as on
   * the others: each is announced ({@code presence.join}, {@code presence.leave}) once it is
   * written, and a client that follows those events and asks again sees it. A query only reads: it
   * never waits for a flush, which in a reconnect storm writes thousands of rows and while the
   * database does not answer waits out the statement timeout.
   */
  public JsonObject members(
      RoomName room, String connectionId, String subject, String displayName) {
    List<PresenceEntry> entries = new ArrayList<>(store.inRoom(room.toString()));
    if (entries.stream().noneMatch(entry -> entry.connectionId().equals(connectionId))) {
      entries.add(
          new PresenceEntry(
              connectionId, room.toString(), instance.id(), subject, displayName, Instant.now()));
      // Stable: the asker's connection comes last of its subject's, as the latest to join.
      entries.sort(Comparator.comparing(PresenceEntry::subject));
    }
    Map<String, PresenceEntry> first = new LinkedHashMap<>();
    Map<String, Integer> connections = new LinkedHashMap<>();
    for (PresenceEntry entry : entries) {
      first.putIfAbsent(entry.subject(), entry);
      connections.merge(entry.subject(), 1, Integer::sum);
    }
    JsonArrayBuilder members = JSON.createArrayBuilder();
    first.forEach(
        (member, entry) ->
            members.add(
                JSON.createObjectBuilder()
                    .add("subject", member)
                    .add("name", entry.displayName())
                    .add("connections", connections.get(member))));
    return JSON.createObjectBuilder().add("room", room.toString()).add("members", members).build();
  }

  /** One event per user and room, for the first of the user's rows whose member is due. */
  private void announceOncePerMember(
      String name, List<PresenceEntry> entries, Predicate<RoomMember> due) {
    Set<RoomMember> announced = new HashSet<>();
    for (PresenceEntry entry : entries) {
      if (due.test(entry.member()) && announced.add(entry.member())) {
        announce(name, entry);
      }
    }
  }

  private void announce(String name, PresenceEntry entry) {
    RoomName room;
    try {
      room = RoomName.parse(entry.room());
    } catch (RoomName.InvalidRoomName e) {
      throw new IllegalStateException("room_presence holds an invalid room " + entry.room(), e);
    }
    relay.send(
        new EphemeralEvent(
            room,
            name,
            System.currentTimeMillis(),
            JSON.createObjectBuilder()
                .add("subject", entry.subject())
                .add("name", entry.displayName())
                .add("connectionId", entry.connectionId())
                .build()));
  }
}

package com.pdprime.realtime.websocket;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.protocol.OutboundFrame;
import com.pdprime.realtime.protocol.ServerFrames;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.Position;
import com.pdprime.realtime.rooms.RoomEventStore;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.rooms.SubscriberJoined;
import com.pdprime.realtime.rooms.SubscriberLeft;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Delivers durable room events to this instance's subscribers in {@code seq} order, exactly once.
 * Events arrive from the relay in any order and possibly with gaps (a lost or late message); a gap
 * is filled from history before anything after it is delivered, and anything already delivered is
 * dropped.
 */
@ApplicationScoped
public class RoomChannels {
  private static final Logger LOG = Logger.getLogger(RoomChannels.class.getName());

  @Inject RoomEventStore store;
  @Inject RealtimeMetrics metrics;
  @Inject Recovery recovery;
  @Inject RoomHistory history;
  @Inject Event<SubscriberJoined> joined;
  @Inject Event<SubscriberLeft> left;

  private final Map<RoomName, RoomChannel> channels = new ConcurrentHashMap<>();

  /**
   * Adds the connection to the room at the current point of the stream and, under the same lock,
   * queues the reply and any replayed events, so live events can only follow them.
   */
  void subscribe(Connection connection, RoomName room, Position since, String replyTo) {
    while (true) {
      RoomChannel channel = channels.computeIfAbsent(room, RoomChannel::new);
      synchronized (channel) {
        if (channel.retired) {
          continue;
        }
        if (!channel.loaded()) {
          Position head = store.head(room);
          channel.epoch = head.epoch();
          channel.delivered = head.seq();
        }
        if (connection.state() != ConnectionState.OPEN) {
          return;
        }
        recovery.resume(connection, channel, since, replyTo);
        channel.subscribers.put(connection.id(), connection);
        break;
      }
    }
    joined.fire(new SubscriberJoined(room, connection.id()));
  }

  void unsubscribe(Connection connection, RoomName room) {
    RoomChannel channel = channels.get(room);
    if (channel == null) {
      return;
    }
    boolean removed;
    synchronized (channel) {
      removed = channel.subscribers.remove(connection.id()) != null;
    }
    if (removed) {
      left.fire(new SubscriberLeft(room, connection.id()));
    }
  }

  /** Takes one relayed event; called concurrently by the relay's consumers. */
  public void deliver(StoredEvent event) {
    RoomChannel channel = channels.get(event.room());
    if (channel == null) {
      history.relayedUnwatched(event);
      return;
    }
    synchronized (channel) {
      if (channel.retired || !channel.loaded()) {
        history.relayedUnwatched(event);
        return;
      }
      if (!channel.epoch.equals(event.epoch())) {
        LOG.severe(
            "room="
                + event.room()
                + " event epoch "
                + event.epoch()
                + " differs from the channel's "
                + channel.epoch
                + "; event seq="
                + event.seq()
                + " not delivered");
        return;
      }
      if (event.seq() <= channel.delivered) {
        metrics.relayDuplicateDropped();
        return;
      }
      if (event.seq() > channel.delivered + 1) {
        channel.early.put(event.seq(), event);
        fillFromHistory(channel, event.seq() - 1);
      }
      if (event.seq() == channel.delivered + 1) {
        fanOut(channel, event);
      }
      drainEarly(channel);
    }
  }

  /**
   * Passes an ephemeral event to whoever is subscribed here now; it is never stored or replayed.
   */
  public void deliver(EphemeralEvent event) {
    RoomChannel channel = channels.get(event.room());
    if (channel == null) {
      return;
    }
    OutboundFrame frame =
        OutboundFrame.of(
            ServerFrames.ephemeralEvent(
                event.room().toString(), event.name(), event.tsMillis(), event.data()));
    List<Connection> recipients;
    synchronized (channel) {
      recipients = channel.subscriberSnapshot();
    }
    metrics.messagesOut(sendToAll(recipients, frame));
  }

  /**
   * Fills every subscribed room up to the head it had at the previous run: events committed at
   * least one interval ago that the relay still has not delivered (a lost message, a broker
   * outage). Events the relay is merely still carrying are left to it, so a busy relay is not raced
   * by history reads that would only turn its messages into duplicates.
   */
  void catchUp() {
    List<String> names = new ArrayList<>();
    for (RoomChannel channel : channels.values()) {
      synchronized (channel) {
        if (channel.subscribers.isEmpty()) {
          channel.retired = true;
          channels.remove(channel.room, channel);
        } else if (channel.loaded()) {
          names.add(channel.room.toString());
        }
      }
    }
    Map<String, Position> heads = store.heads(names);
    for (RoomChannel channel : channels.values()) {
      Position head = heads.get(channel.room.toString());
      if (head == null) {
        continue;
      }
      synchronized (channel) {
        long overdue = channel.headAtLastCatchUp;
        channel.headAtLastCatchUp = head.seq();
        if (!channel.retired && overdue > channel.delivered) {
          fillFromHistory(channel, overdue);
          drainEarly(channel);
        }
      }
    }
  }

  /** Rooms with at least one subscriber here (or retired since the last catch-up run). */
  int roomCount() {
    return channels.size();
  }

  int subscriptionCount() {
    int count = 0;
    for (RoomChannel channel : channels.values()) {
      synchronized (channel) {
        count += channel.subscribers.size();
      }
    }
    return count;
  }

  /**
   * Delivers history from after {@code channel.delivered} up to {@code upTo}; caller holds the
   * lock. Always from the database: these are events the relay did not bring here, and memory holds
   * only what it brought (RoomHistory).
   */
  private void fillFromHistory(RoomChannel channel, long upTo) {
    long missing = upTo - channel.delivered;
    List<StoredEvent> events =
        store.readAfter(
            channel.room, channel.delivered, (int) Math.min(missing, Integer.MAX_VALUE));
    long filled = 0;
    for (StoredEvent event : events) {
      if (event.seq() != channel.delivered + 1) {
        LOG.severe(
            "room="
                + channel.room
                + " history has no seq="
                + (channel.delivered + 1)
                + "; cannot deliver past it");
        return;
      }
      fanOut(channel, event);
      filled++;
    }
    if (filled > 0) {
      metrics.relayGapFilled(filled);
    }
  }

  private void drainEarly(RoomChannel channel) {
    channel.early.headMap(channel.delivered, true).clear();
    StoredEvent next;
    while ((next = channel.early.remove(channel.delivered + 1)) != null) {
      fanOut(channel, next);
    }
  }

  /**
   * Sends the event to every subscriber. The frame is encoded once per event, or once per distinct
   * set of guard permissions among the recipients when the event has guarded fields.
   */
  private void fanOut(RoomChannel channel, StoredEvent event) {
    channel.delivered = event.seq();
    history.delivered(event);
    List<Connection> recipients = channel.subscriberSnapshot();
    int taken = 0;
    if (event.hasGuarded()) {
      Map<Set<String>, OutboundFrame> variants = new HashMap<>();
      for (Connection connection : recipients) {
        Set<String> held = event.guardsHeld(connection.caller()::has);
        if (connection.send(variants.computeIfAbsent(held, h -> frameOf(event, h)))) {
          taken++;
        }
      }
    } else {
      taken = sendToAll(recipients, frameOf(event, Set.of()));
    }
    metrics.messagesOut(taken);
    metrics.fanOut(recipients.size());
  }

  /** Queues one shared frame for every recipient; returns how many outboxes took it. */
  private static int sendToAll(List<Connection> recipients, OutboundFrame frame) {
    int taken = 0;
    for (Connection connection : recipients) {
      if (connection.send(frame)) {
        taken++;
      }
    }
    return taken;
  }

  /** The event as this connection may see it. */
  static OutboundFrame frameFor(StoredEvent event, Connection connection) {
    return frameOf(event, event.guardsHeld(connection.caller()::has));
  }

  private static OutboundFrame frameOf(StoredEvent event, Set<String> guardsHeld) {
    return OutboundFrame.event(
        ServerFrames.durableEvent(
            event.room().toString(),
            event.name(),
            event.epoch(),
            event.seq(),
            event.publishedAtMillis(),
            event.dataFor(guardsHeld)),
        event.publishedAtMillis());
  }
}

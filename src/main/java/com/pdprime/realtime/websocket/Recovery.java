package com.pdprime.realtime.websocket;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.protocol.OutboundFrame;
import com.pdprime.realtime.protocol.ServerFrames;
import com.pdprime.realtime.rooms.Position;
import com.pdprime.realtime.rooms.RoomSnapshots;
import com.pdprime.realtime.rooms.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Answers a subscribe: where the room stands (with the room's snapshot, for types that have state)
 * and, for a client resuming {@code since} a position, either the missed events in order ({@code
 * recovered: true}) or the reason they cannot be replayed ({@code recovered: false}). Replay is
 * bounded by count and age (realtime.recovery.*). The missed events come from this instance's
 * memory when it holds them all, else from the database ({@link RoomHistory}).
 */
@ApplicationScoped
public class Recovery {
  /** Why a resume could not be served from history; sent to the client as {@code reason}. */
  enum Refusal {
    EPOCH_CHANGED,
    POSITION_AHEAD,
    TOO_FAR_BEHIND,
    HISTORY_EXPIRED
  }

  @Inject RoomHistory history;
  @Inject EngineSettings settings;
  @Inject RealtimeMetrics metrics;
  @Inject RoomSnapshots snapshots;

  /** Queues the reply and the replay for the connection; the caller holds the channel's lock. */
  void resume(Connection connection, RoomChannel channel, Position since, String replyTo) {
    JsonObjectBuilder reply =
        JSON.createObjectBuilder()
            .add("room", channel.room.toString())
            .add("epoch", channel.epoch)
            .add("seq", channel.delivered);
    if (since == null) {
      snapshots.of(connection.caller(), channel.room).ifPresent(s -> reply.add("snapshot", s));
      connection.send(OutboundFrame.of(ServerFrames.ok(replyTo, reply.build())));
      return;
    }
    Refusal refusal = check(channel, since);
    List<StoredEvent> missed = List.of();
    if (refusal == null && since.seq() < channel.delivered) {
      missed = history.read(channel.room, channel.epoch, since.seq(), channel.delivered);
      refusal = checkHistory(missed, since, channel.delivered);
    }
    metrics.resumed(refusal == null);
    if (refusal != null) {
      reply.add("recovered", false).add("reason", refusal.name());
      snapshots.of(connection.caller(), channel.room).ifPresent(s -> reply.add("snapshot", s));
      connection.send(OutboundFrame.of(ServerFrames.ok(replyTo, reply.build())));
      return;
    }
    reply.add("recovered", true).add("replayed", missed.size());
    connection.send(OutboundFrame.of(ServerFrames.ok(replyTo, reply.build())));
    for (StoredEvent event : missed) {
      connection.send(RoomChannels.frameFor(event, connection));
    }
  }

  private Refusal check(RoomChannel channel, Position since) {
    if (!channel.epoch.equals(since.epoch())) {
      return Refusal.EPOCH_CHANGED;
    }
    if (since.seq() > channel.delivered) {
      return Refusal.POSITION_AHEAD;
    }
    if (channel.delivered - since.seq() > settings.recoveryMaxEvents()) {
      return Refusal.TOO_FAR_BEHIND;
    }
    return null;
  }

  private Refusal checkHistory(List<StoredEvent> missed, Position since, long head) {
    boolean complete =
        missed.size() == head - since.seq()
            && missed.get(0).seq() == since.seq() + 1
            && missed.get(missed.size() - 1).seq() == head;
    if (!complete) {
      return Refusal.HISTORY_EXPIRED;
    }
    long oldestAllowed =
        System.currentTimeMillis()
            - Duration.ofSeconds(settings.recoveryMaxAgeSeconds()).toMillis();
    return missed.get(0).publishedAtMillis() < oldestAllowed ? Refusal.HISTORY_EXPIRED : null;
  }
}

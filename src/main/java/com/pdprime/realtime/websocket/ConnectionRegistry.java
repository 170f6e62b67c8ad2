package com.pdprime.realtime.websocket;

import com.pdprime.realtime.connections.ConnectionClosed;
import com.pdprime.realtime.connections.ConnectionOpened;
import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.connections.JournalQueue;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.presence.PresenceService;
import com.pdprime.realtime.protocol.CloseCode;
import com.pdprime.realtime.protocol.OutboundFrame;
import com.pdprime.realtime.protocol.ServerFrames;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every open connection of this instance, and the one place where connections are opened and
 * closed: each transition is logged with its code and reason, counted, and recorded in the journal.
 */
@ApplicationScoped
public class ConnectionRegistry {
  private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class.getName());

  @Inject EngineSettings settings;
  @Inject JournalQueue journal;
  @Inject InstanceIdentity instance;
  @Inject RealtimeMetrics metrics;
  @Inject RoomChannels channels;
  @Inject PresenceService presence;
  @Inject Event<ConnectionClosed> connectionEnded;
  @Inject TyrusIdleTimer idleTimer;
  @Inject OutboxWriters writers;
  @Inject ConnectionTimer timer;
  @Inject ConnectionLog log;

  /** Closing may wait on a client's socket; it never runs on the thread that decided to close. */
  @Resource ManagedExecutorService closer;

  private final Map<String, Connection> open = new ConcurrentHashMap<>();

  /**
   * Feeds the histogram itself: through the metrics bean's CDI proxy, the chosen writes' updates
   * cost the writers more than the histogram (bench/RESULTS.md, "Second stop of 2026-12-03").
   */
  private PublishToWriteSampler publishToWrite;

  @PostConstruct
  void init() {
    publishToWrite = PublishToWriteSampler.feeding(metrics.publishToWriteHistogram());
  }

  Connection open(Session session, Handshake handshake) {
    Connection connection =
        new Connection(session, handshake, settings, this::close, writers.assign(), publishToWrite);
    session.setMaxTextMessageBufferSize(settings.maxFrameBytes());
    idleTimer.adopt(session);
    session.setMaxIdleTimeout(0);
    // The endpoint's @OnClose finds the connection here: a close can run on another thread before
    // @OnOpen has returned (a token already expired within the clock skew closes at once).
    session.getUserProperties().put(Connection.class.getName(), connection);
    open.put(connection.id(), connection);
    connection.moveTo(ConnectionState.CONNECTING, ConnectionState.OPEN);
    journal.record(
        new ConnectionOpened(
            connection.id(),
            instance.id(),
            handshake.caller().subject(),
            handshake.operators(),
            handshake.remoteAddress(),
            handshake.userAgent(),
            connection.openedAt()));
    metrics.connectionOpened();
    connection.send(
        OutboundFrame.of(
            ServerFrames.welcome(
                connection.id(),
                handshake.caller().subject(),
                settings.heartbeatIntervalMillis())));
    log.info(
        "open",
        "conn="
            + connection.id()
            + " user="
            + handshake.caller().subject()
            + " ip="
            + handshake.remoteAddress()
            + " state=OPEN");
    // Last, so that a close at once still follows the welcome and the OPEN line.
    scheduleExpiry(connection);
    return connection;
  }

  /** The connection of a session, or null if the session closed before it had one. */
  static Connection of(Session session) {
    return (Connection) session.getUserProperties().get(Connection.class.getName());
  }

  /** Closes the connection with 4001 when its current token expires; a refresh moves the moment. */
  void scheduleExpiry(Connection connection) {
    Instant expiresAt = connection.caller().expiresAt();
    ScheduledFuture<?> previous = connection.expiry();
    connection.expiry(
        timer.schedule(
            () -> connection.close(CloseCode.TOKEN_EXPIRED, "token expired at " + expiresAt),
            Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis())));
    if (previous != null) {
      previous.cancel(false);
    }
  }

  /**
   * Closes this instance's sockets an operator's order names; returns how many. Every instance gets
   * the order through the relay and closes its own.
   */
  public int disconnect(DisconnectOrder order) {
    int closed = 0;
    for (Connection connection : List.copyOf(open.values())) {
      if (connection.id().equals(order.connectionId())
          || connection.caller().subject().equals(order.subject())) {
        close(connection, CloseCode.DISCONNECTED, order.reason());
        closed++;
      }
    }
    return closed;
  }

  /** Starts a server-initiated close; the first request wins, later ones are ignored. */
  void close(Connection connection, CloseCode code, String reason) {
    if (!connection.beginClose(code, reason)) {
      return;
    }
    log.info(
        "close",
        "conn="
            + connection.id()
            + " user="
            + connection.caller().subject()
            + " state=CLOSING code="
            + code.code()
            + " reason="
            + reason);
    // The frames queued before the decision (e.g. the error that explains it) go first.
    connection.closeAfterDrain(
        () -> closer.execute(() -> sendClose(connection, code.reason(reason))));
  }

  /** The socket is closed, by either side: the connection leaves every room and is recorded. */
  void closed(Connection connection, CloseReason peerReason) {
    if (!connection.markClosed()) {
      return;
    }
    open.remove(connection.id());
    if (connection.expiry() != null) {
      connection.expiry().cancel(false);
    }
    for (var room : connection.rooms()) {
      channels.unsubscribe(connection, room);
    }
    int code =
        connection.closeCode() != null
            ? connection.closeCode().code()
            : peerReason.getCloseCode().getCode();
    String reason =
        connection.closeReason() != null
            ? connection.closeReason()
            : "closed by the client or the container: " + peerReason.getReasonPhrase();
    ConnectionClosed ended = new ConnectionClosed(connection.id(), code, reason, Instant.now());
    journal.record(ended);
    connectionEnded.fire(ended);
    metrics.closed(code);
    if (connection.rooms().stream().anyMatch(room -> room.type().hasPresence())) {
      presence.departed(connection.id());
    }
    log.info(
        "closed",
        "conn="
            + connection.id()
            + " user="
            + connection.caller().subject()
            + " state=CLOSED code="
            + code
            + " reason="
            + reason);
  }

  Collection<Connection> all() {
    return open.values();
  }

  int count() {
    return open.size();
  }

  /** On shutdown every client hears 1001 and reconnects elsewhere or after the restart. */
  void closeAll(CloseCode code, String reason) {
    List<Connection> snapshot = new ArrayList<>(open.values());
    for (Connection connection : snapshot) {
      if (connection.beginClose(code, reason)) {
        sendClose(connection, code.reason(reason));
      }
    }
  }

  private void sendClose(Connection connection, CloseReason reason) {
    try {
      connection.session().close(reason);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "conn=" + connection.id() + " close frame not sent (" + e + "); the socket is dropped");
      closed(connection, reason);
    }
  }
}

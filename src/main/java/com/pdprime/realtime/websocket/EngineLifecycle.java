package com.pdprime.realtime.websocket;

import com.pdprime.realtime.connections.ConnectionJournal;
import com.pdprime.realtime.connections.ConnectionsActive;
import com.pdprime.realtime.connections.JournalQueue;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.presence.PresenceFlush;
import com.pdprime.realtime.protocol.CloseCode;
import com.pdprime.realtime.rooms.RoomEventStore;
import com.pdprime.realtime.scheduling.Timers;
import com.pdprime.realtime.security.TokenVerification;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.ConsoleHandler;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The engine's clock: heartbeats, stalled writes, relay catch-up, and the connection-activity
 * sweep, each on the application's timers ({@link Timers}). At shutdown ({@link EngineShutdown}) it
 * closes every connection with 1001.
 */
@Singleton
@Startup
@DependsOn("ConnectionJournal")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EngineLifecycle {
  private static final Logger LOG = Logger.getLogger(EngineLifecycle.class.getName());

  /** History older than the recovery window is useless; deleting it every 10 minutes is plenty. */
  private static final long PRUNE_INTERVAL_MILLIS = 600_000;

  private static final long CLOSE_WAIT_MILLIS = 2000;

  @Inject ConnectionRegistry registry;
  @Inject Heartbeat heartbeat;
  @Inject StalledWrites stalledWrites;
  @Inject OutboxWriters writers;
  @Inject RoomChannels channels;
  @Inject RoomHistory history;
  @Inject RoomEventStore store;
  @Inject ConnectionJournal journal;
  @Inject JournalQueue journalQueue;
  @Inject PresenceFlush presenceFlush;
  @Inject ConnectionLog connectionLog;
  @Inject EngineSettings settings;
  @Inject RealtimeMetrics metrics;
  @Inject TokenVerification tokens;
  @Inject LingeringSockets lingering;

  @Inject
  @ConfigProperty(name = "realtime.connections.flush-interval-ms")
  long activityIntervalMillis;

  @Inject Timers timers;

  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile Instant lastTick = Instant.now();

  @PostConstruct
  void start() {
    tokens.requireConfigured();
    metrics.connectionsGauge(registry::count);
    metrics.subscriptionsGauge(channels::subscriptionCount);
    metrics.roomsGauge(channels::roomCount);
    metrics.writerBacklogGauge(writers::backlog);
    timers.every("heartbeat tick", heartbeat.tickMillis(), heartbeat::tick);
    timers.every("stalled write check", stalledWrites.tickMillis(), stalledWrites::tick);
    timers.every("relay catch-up", settings.catchUpIntervalMillis(), channels::catchUp);
    // Rooms nobody publishes to any more free their recent events here, not on the next append.
    timers.every(
        "recent history eviction", settings.catchUpIntervalMillis(), history::evictExpired);
    timers.every("connection activity sweep", activityIntervalMillis, this::sweepActivity);
    timers.every("room history pruning", PRUNE_INTERVAL_MILLIS, this::pruneHistory);
    timers.every("connection log drain", ConnectionLog.DRAIN_INTERVAL_MILLIS, connectionLog::drain);
  }

  /**
   * Closes every socket with 1001 so clients reconnect elsewhere and resume, writes what the closes
   * left to write, and then stops every timer of the application; called once by {@link
   * EngineShutdown}, a second call does nothing.
   */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    keepLoggingThroughShutdown();
    try {
      connectionLog.stop();
      int open = registry.count();
      registry.closeAll(CloseCode.GOING_AWAY, "server shutting down; reconnect and resume");
      LOG.info("shutdown: closed " + open + " connections with 1001");
      awaitCloses();
      journal.flush();
      presenceFlush.flush();
    } finally {
      // Also when a step above failed: a timer left running fires after the server has stopped.
      timers.stop();
    }
  }

  /**
   * Only a close the endpoint has been told of has its journal entry and its presence departure
   * queued, and the last flushes wait for them. The sockets themselves stay open until their
   * clients answer the 1001 (on Payara, FrameCheckingUpgradeHandler lingers for the answer): the
   * stop waits for both, up to 2 s in all, and ends the sockets still open itself, before the
   * container stops its network threads ({@link LingeringSockets}).
   */
  private void awaitCloses() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    try {
      while ((registry.count() > 0 || lingering.count() > 0) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int unfinished = registry.count();
    if (unfinished > 0) {
      LOG.warning(
          "shutdown: "
              + unfinished
              + " connections had not finished closing "
              + CLOSE_WAIT_MILLIS
              + " ms after their 1001; their journal rows and presence rows stay until this"
              + " instance starts again and closes its ghosts");
    }
    int ended = lingering.endAll();
    if (ended > 0) {
      LOG.info(
          "shutdown: ended "
              + ended
              + " sockets whose clients had not closed their side "
              + CLOSE_WAIT_MILLIS
              + " ms after the close");
    }
  }

  /**
   * The JDK resets java.util.logging from its own shutdown hook, which runs beside the server's, so
   * on Payara Micro the engine's last lines (every 1001 close, the shutdown line an operator looks
   * for) went nowhere. A console handler is put back for them when the reset came first.
   */
  private static void keepLoggingThroughShutdown() {
    Logger root = Logger.getLogger("");
    if (root.getHandlers().length == 0) {
      root.addHandler(new ConsoleHandler());
    }
  }

  private void pruneHistory() {
    Instant cutoff = Instant.now().minusSeconds(settings.recoveryMaxAgeSeconds());
    int pruned = store.pruneBefore(cutoff);
    if (pruned > 0) {
      LOG.info("pruned " + pruned + " room events published before " + cutoff);
    }
  }

  /**
   * When the activity sweep last ran. It touches no database, so it measures whether the engine's
   * scheduler still ticks, not whether the database answers (readiness says that).
   */
  public Instant lastTick() {
    return lastTick;
  }

  public long tickIntervalMillis() {
    return activityIntervalMillis;
  }

  private void sweepActivity() {
    lastTick = Instant.now();
    List<String> active = new ArrayList<>();
    for (Connection connection : registry.all()) {
      if (connection.takeActivity()) {
        active.add(connection.id());
      }
    }
    if (!active.isEmpty()) {
      journalQueue.record(new ConnectionsActive(active, Instant.now()));
    }
  }
}

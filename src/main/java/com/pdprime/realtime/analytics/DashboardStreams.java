package com.pdprime.realtime.analytics;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.monitoring.Ticks;
import com.pdprime.realtime.relay.RoomRelay;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomEventArrived;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomType;
import com.pdprime.realtime.rooms.SubscriberJoined;
import com.pdprime.realtime.rooms.SubscriberLeft;
import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the dashboard streams: one per dashboard room (a dashboard with its filter), computed by
 * exactly one instance in the cluster however many viewers it has on however many instances.
 *
 * <p>Every instance with viewers on a stream ticks once a second: it reports its viewer counts and
 * tries to take any stream it watches whose lease is free. The lease holder renews the lease, stops
 * the stream when no instance reports a viewer, and otherwise recomputes it when a quote event
 * marked it or its window slid, at most once a second, and publishes a {@code dashboard.snapshot}
 * or a {@code dashboard.delta} (a JSON Merge Patch) through the room. An instance with no viewers
 * and no streams does not tick at all.
 */
@ApplicationScoped
public class DashboardStreams {
  private static final Logger LOG = Logger.getLogger(DashboardStreams.class.getName());
  private static final Duration FORGET_SILENT_VIEWERS = Duration.ofMinutes(1);

  /**
   * The ticker's name for the monitor watchdog; each owned stream ticks as {@code dashboard:} and
   * its room, so one stream stuck in its computation is named, not only the ticker.
   */
  static final String TICKER = "dashboard-streams";

  @Inject StreamLeases leases;
  @Inject DashboardStates states;
  @Inject RoomRelay relay;
  @Inject InstanceIdentity instance;
  @Inject RealtimeMetrics metrics;
  @Inject Ticks ticks;
  @Inject Timers timers;

  @Inject
  @ConfigProperty(name = "realtime.analytics.tick-ms")
  long tickMillis;

  @Inject
  @ConfigProperty(name = "realtime.analytics.lease-ms")
  long leaseMillis;

  @Inject
  @ConfigProperty(name = "realtime.analytics.viewers-fresh-ms")
  long viewersFreshMillis;

  @Inject
  @ConfigProperty(name = "realtime.analytics.snapshot-every-ms")
  long snapshotEveryMillis;

  /** Subscribers on this instance per dashboard room; rooms without any are removed. */
  private final Map<RoomName, Integer> local = new ConcurrentHashMap<>();

  private final Map<RoomName, DashboardStream> owned = new ConcurrentHashMap<>();
  private final Deque<Instant> queriesLastMinute = new ArrayDeque<>();
  private final Object tickLock = new Object();
  private final AtomicBoolean recomputeScheduled = new AtomicBoolean();
  private Future<?> ticker;

  @PostConstruct
  void register() {
    metrics.dashboardStreamsGauge(owned::size);
    metrics.dashboardViewersGauge(() -> local.values().stream().mapToInt(Integer::intValue).sum());
    metrics.dashboardQueriesPerStreamGauge(this::queriesPerStreamPerMinute);
  }

  @PreDestroy
  void stop() {
    synchronized (this) {
      if (ticker != null) {
        ticker.cancel(false);
        ticker = null;
      }
    }
    // Handing the leases back lets another instance take the streams over at once, not after
    // the lease runs out.
    Instant now = Instant.now();
    for (RoomName room : List.copyOf(owned.keySet())) {
      try {
        leases.release(room.toString(), instance.id(), now);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "room=" + room + " lease not released at shutdown", e);
      }
    }
  }

  void joined(@Observes SubscriberJoined joined) {
    if (!isDashboard(joined.room())) {
      return;
    }
    boolean first;
    synchronized (this) {
      first = local.merge(joined.room(), 1, Integer::sum) == 1;
      if (ticker == null) {
        ticks.register(TICKER, tickMillis, Instant.now());
        ticker = timers.every("dashboard tick", tickMillis, this::tickSafely);
      }
    }
    if (first) {
      // The first viewer here should not wait a whole tick for the stream to start.
      timers.once("dashboard tick", 0, this::tickSafely);
    }
  }

  void left(@Observes SubscriberLeft left) {
    if (isDashboard(left.room())) {
      local.computeIfPresent(left.room(), (room, viewers) -> viewers == 1 ? null : viewers - 1);
    }
  }

  /**
   * A quote changed somewhere in the cluster: the streams that count quotes are stale. They are
   * recomputed as soon as their one-update-per-second allows, not at the next tick, so a change
   * reaches viewers in well under the 2 s the dashboards promise.
   */
  void quoteChanged(@Observes RoomEventArrived arrived) {
    if (arrived.room().type() != RoomType.QUOTE) {
      return;
    }
    for (DashboardStream stream : owned.values()) {
      if (stream.filter.dashboard().followsQuotes()) {
        stream.dirty = true;
      }
    }
    scheduleRecompute();
  }

  /** Schedules one recomputation for when the first marked stream may publish again. */
  private void scheduleRecompute() {
    Instant now = Instant.now();
    long wait = Long.MAX_VALUE;
    for (DashboardStream stream : owned.values()) {
      if (stream.dirty) {
        wait = Math.min(wait, stream.untilDue(now).toMillis());
      }
    }
    if (wait != Long.MAX_VALUE && recomputeScheduled.compareAndSet(false, true)) {
      timers.once("dashboard recompute", wait, this::recomputeSafely);
    }
  }

  private void recomputeSafely() {
    recomputeScheduled.set(false);
    try {
      synchronized (tickLock) {
        Instant now = Instant.now();
        for (Map.Entry<RoomName, DashboardStream> entry : owned.entrySet()) {
          if (entry.getValue().due(now)) {
            publish(entry.getKey(), entry.getValue(), now);
          }
        }
      }
      // A change that came while this waited for its second is published at the next one.
      scheduleRecompute();
    } catch (RuntimeException e) {
      // The next tick recomputes what is still marked.
      metrics.dashboardFailed("streams");
      LOG.log(Level.SEVERE, "instance=" + instance.id() + " dashboard recompute failed", e);
    }
  }

  private static boolean isDashboard(RoomName room) {
    if (room.type() != RoomType.ANALYTICS) {
      return false;
    }
    try {
      return DashboardFilter.of(room).isPresent();
    } catch (DashboardFilter.InvalidFilter invalid) {
      // Subscribing refuses such rooms, so none can have a subscriber.
      throw new IllegalStateException(room + " was subscribed with an invalid filter", invalid);
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // The next tick tries again; a database outage must not end the streams for good.
      metrics.dashboardFailed("streams");
      LOG.log(Level.SEVERE, "instance=" + instance.id() + " dashboard tick failed", e);
    }
  }

  private void tick() {
    synchronized (tickLock) {
      Instant now = Instant.now();
      Map<String, Integer> viewers = new HashMap<>();
      local.forEach((room, count) -> viewers.put(room.toString(), count));
      leases.reportViewers(instance.id(), viewers, now, now.minus(FORGET_SILENT_VIEWERS));
      Instant until = now.plusMillis(leaseMillis);
      for (RoomName room : local.keySet()) {
        if (!owned.containsKey(room)) {
          claim(room, now, until);
        }
      }
      for (Map.Entry<RoomName, DashboardStream> entry : owned.entrySet()) {
        run(entry.getKey(), entry.getValue(), now, until);
      }
      ticks.tick(TICKER, Instant.now());
    }
    synchronized (this) {
      if (local.isEmpty() && owned.isEmpty() && ticker != null) {
        ticker.cancel(false);
        ticker = null;
        ticks.unregister(TICKER);
      }
    }
  }

  private void claim(RoomName room, Instant now, Instant until) {
    String name = room.toString();
    Optional<Long> version = leases.claim(name, instance.id(), now, until);
    if (version.isEmpty() && !leases.exists(name)) {
      try {
        leases.create(name, instance.id(), until);
        version = Optional.of(0L);
      } catch (PersistenceException raced) {
        LOG.fine("room=" + room + " was started by another instance first");
      }
    }
    if (version.isPresent()) {
      owned.put(room, new DashboardStream(filterOf(room), version.get()));
      ticks.register(tickName(room), tickMillis, now);
      LOG.info(
          "room="
              + room
              + " dashboard stream now computed by instance="
              + instance.id()
              + " from version "
              + version.get());
    }
  }

  private void run(RoomName room, DashboardStream stream, Instant now, Instant until) {
    String name = room.toString();
    if (leases.claim(name, instance.id(), now, until).isEmpty()) {
      drop(room);
      LOG.warning("room=" + room + " lease lost by instance=" + instance.id());
      return;
    }
    if (leases.viewers(name, now.minusMillis(viewersFreshMillis)) == 0) {
      leases.release(name, instance.id(), now);
      drop(room);
      LOG.info("room=" + room + " has no viewers left; its dashboard stream stopped");
      return;
    }
    if (stream.due(now)) {
      publish(room, stream, now);
    }
    if (owned.containsKey(room)) {
      ticks.tick(tickName(room), Instant.now());
    }
  }

  private void drop(RoomName room) {
    owned.remove(room);
    ticks.unregister(tickName(room));
  }

  private static String tickName(RoomName room) {
    return "dashboard:" + room;
  }

  private void publish(RoomName room, DashboardStream stream, Instant now) {
    // Cleared before the query, so a change that lands during it marks the stream again.
    stream.dirty = false;
    long started = System.nanoTime();
    JsonObject next;
    try {
      next = states.compute(stream.filter, now);
    } catch (RuntimeException e) {
      stream.dirty = true;
      stream.computedAt = now;
      metrics.dashboardFailed(stream.filter.dashboard().key());
      LOG.log(Level.SEVERE, "room=" + room + " dashboard computation failed", e);
      return;
    }
    metrics.dashboardQuery(
        stream.filter.dashboard().key(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    countQuery(now);
    stream.computedAt = now;
    boolean snapshot = stream.snapshotDue(now, Duration.ofMillis(snapshotEveryMillis));
    JsonValue patch = snapshot ? null : JSON.createMergeDiff(stream.last, next).toJsonValue();
    if (!snapshot && patch.equals(JsonValue.EMPTY_JSON_OBJECT)) {
      return;
    }
    long version = stream.version + 1;
    if (!leases.store(room.toString(), instance.id(), version, now, next.toString())) {
      drop(room);
      LOG.warning("room=" + room + " lease lost by instance=" + instance.id() + " while storing");
      return;
    }
    stream.version = version;
    stream.last = next;
    if (snapshot) {
      stream.snapshotAt = now;
      relay.send(
          new EphemeralEvent(
              room,
              "dashboard.snapshot",
              now.toEpochMilli(),
              JSON.createObjectBuilder()
                  .add("version", version)
                  .add("computedAt", now.toString())
                  .add("state", next)
                  .build()));
    } else {
      relay.send(
          new EphemeralEvent(
              room,
              "dashboard.delta",
              now.toEpochMilli(),
              JSON.createObjectBuilder()
                  .add("version", version)
                  .add("base", version - 1)
                  .add("computedAt", now.toString())
                  .add("patch", patch)
                  .build()));
    }
  }

  static DashboardFilter filterOf(RoomName room) {
    try {
      return DashboardFilter.of(room)
          .orElseThrow(() -> new IllegalStateException(room + " is not a dashboard room"));
    } catch (DashboardFilter.InvalidFilter invalid) {
      throw new IllegalStateException(room + " was subscribed with an invalid filter", invalid);
    }
  }

  private void countQuery(Instant now) {
    synchronized (queriesLastMinute) {
      queriesLastMinute.addLast(now);
      forgetOldQueries(now);
    }
  }

  private double queriesPerStreamPerMinute() {
    synchronized (queriesLastMinute) {
      forgetOldQueries(Instant.now());
      return owned.isEmpty() ? 0 : (double) queriesLastMinute.size() / owned.size();
    }
  }

  private void forgetOldQueries(Instant now) {
    Instant minuteAgo = now.minus(Duration.ofMinutes(1));
    while (!queriesLastMinute.isEmpty() && queriesLastMinute.peekFirst().isBefore(minuteAgo)) {
      queriesLastMinute.removeFirst();
    }
  }
}

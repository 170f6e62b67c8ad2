package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.Percentiles;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.monitoring.Ticks;
import com.pdprime.realtime.persistence.DatabaseConnections;
import com.pdprime.realtime.relay.RoomRelay;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every instance's own figures, every {@code realtime.admin.sample-interval-ms}, published as
 * ephemeral events on {@code admin:system} and {@code admin:performance}: read from the same metric
 * registry {@code /metrics} shows, so the console and the scraper never disagree. Each instance
 * publishes its own sample (no lease: the figures are per instance by nature); {@link
 * InstanceSamples} keeps the last one of every instance for new subscribers.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class InstanceSampler {
  private static final Logger LOG = Logger.getLogger(InstanceSampler.class.getName());
  static final String UNCOUNTED =
      "the persistence unit's JDBC connections are not counted (EclipseLink's"
          + " persistence/CountingConnections did not run: another JPA provider than"
          + " the EclipseLink persistence.xml names, or no data source)";
  static final RoomName SYSTEM = AdminAudit.room("admin:system");
  static final RoomName PERFORMANCE = AdminAudit.room("admin:performance");

  /** The sampler's name for the monitor watchdog. */
  static final String TICK = "admin-sampler";

  @Inject RealtimeMetrics metrics;
  @Inject Ticks ticks;
  @Inject RoomRelay relay;
  @Inject InstanceIdentity instance;
  @Inject Timers timers;

  @Inject
  @ConfigProperty(name = "realtime.admin.sample-interval-ms")
  long intervalMillis;

  private long lastMessagesIn;
  private long lastMessagesOut;
  private long lastErrors;
  private long lastRestCount;
  private long lastSampleNanos;
  private volatile Instant lastTick;
  private boolean databaseGauges;

  @PostConstruct
  void start() {
    lastSampleNanos = System.nanoTime();
    timers.every("admin sample", intervalMillis, this::sampleSafely);
  }

  @PreDestroy
  void stop() {
    ticks.unregister(TICK);
  }

  /** When this instance last published its figures; null before the first sample. */
  public Instant lastTick() {
    return lastTick;
  }

  private void sampleSafely() {
    try {
      sample();
    } catch (RuntimeException e) {
      // The next round tries again; a failing sample must not end the stream.
      metrics.adminSampleFailed();
      LOG.log(Level.SEVERE, "instance=" + instance.id() + " admin sample failed", e);
    }
  }

  private synchronized void sample() {
    Instant now = Instant.now();
    if (lastTick == null || !databaseGauges) {
      databaseGauges();
    }
    long nanos = System.nanoTime();
    double seconds = Math.max(0.001, (nanos - lastSampleNanos) / 1e9);
    lastSampleNanos = nanos;
    long messagesIn = metrics.counter(RealtimeMetrics.MESSAGES_IN);
    long messagesOut = metrics.counter(RealtimeMetrics.MESSAGES_OUT);
    Map<String, Long> errors = metrics.counters(RealtimeMetrics.ERRORS, "code");
    long errorTotal = errors.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> closes = metrics.counters(RealtimeMetrics.CLOSES, "code");
    long restCount =
        metrics.histogram(RealtimeMetrics.REST_RESPONSE).map(Percentiles::count).orElse(0L);
    Runtime runtime = Runtime.getRuntime();

    JsonObject system =
        JSON.createObjectBuilder()
            .add("instance", instance.id())
            .add("at", now.toString())
            .add("connections", gauge(RealtimeMetrics.CONNECTIONS_OPEN))
            .add("subscriptions", gauge(RealtimeMetrics.SUBSCRIPTIONS))
            .add("rooms", gauge(RealtimeMetrics.ROOMS))
            .add("framesInPerSecond", rate(messagesIn - lastMessagesIn, seconds))
            .add("framesOutPerSecond", rate(messagesOut - lastMessagesOut, seconds))
            .add("publishToWriteMs", percentiles(RealtimeMetrics.PUBLISH_TO_WRITE))
            .add("closes", counts(closes))
            .add("errors", counts(errors))
            .add("outboxBacklog", gauge(RealtimeMetrics.WRITER_BACKLOG))
            .add("slowConsumerCloses", closes.getOrDefault("4008", 0L))
            .add(
                "relay",
                JSON.createObjectBuilder()
                    .add("queueDepth", gauge(RealtimeMetrics.RELAY_QUEUE_DEPTH))
                    .add("lagMs", percentiles(RealtimeMetrics.RELAY_LAG))
                    .add("sent", metrics.counter(RealtimeMetrics.RELAY_SENT))
                    .add("failures", metrics.counter(RealtimeMetrics.RELAY_FAILURES)))
            .add(
                "heap",
                JSON.createObjectBuilder()
                    .add("usedBytes", runtime.totalMemory() - runtime.freeMemory())
                    .add("maxBytes", runtime.maxMemory()))
            .add("threads", ManagementFactory.getThreadMXBean().getThreadCount())
            .add("database", database())
            .build();
    JsonObject performance =
        JSON.createObjectBuilder()
            .add("instance", instance.id())
            .add("at", now.toString())
            .add(
                "rest",
                JSON.createObjectBuilder()
                    .add("requestsPerSecond", rate(restCount - lastRestCount, seconds))
                    .add("responseMs", percentiles(RealtimeMetrics.REST_RESPONSE)))
            .add("calculationMs", percentiles(RealtimeMetrics.QUOTE_CALCULATION))
            .add("sessions", gauge(RealtimeMetrics.CONNECTIONS_OPEN))
            .add("errorsPerSecond", rate(errorTotal - lastErrors, seconds))
            .build();
    lastMessagesIn = messagesIn;
    lastMessagesOut = messagesOut;
    lastErrors = errorTotal;
    lastRestCount = restCount;
    relay.send(new EphemeralEvent(SYSTEM, "admin.system", now.toEpochMilli(), system));
    relay.send(
        new EphemeralEvent(PERFORMANCE, "admin.performance", now.toEpochMilli(), performance));
    if (lastTick == null) {
      // Watched from its first sample: the application's timers run it only some seconds after
      // start, which must not count as a stall.
      ticks.register(TICK, intervalMillis, now);
    } else {
      ticks.tick(TICK, now);
    }
    lastTick = now;
  }

  /**
   * Registers the connection gauges once the persistence unit has counted its connections: it
   * starts counting when it first logs in to the database, which on WildFly comes after this bean
   * starts. Gauges that always read 0 would look like an idle pool; absent, they say nothing.
   */
  private void databaseGauges() {
    if (DatabaseConnections.counted()) {
      metrics.databaseConnectionGauges(DatabaseConnections::inUse, DatabaseConnections::waiting);
      databaseGauges = true;
    } else if (lastTick == null) {
      LOG.info(UNCOUNTED + ": no realtime_db_connections_* gauges until they are");
    }
  }

  /**
   * The JDBC connections the application holds and waits for, from the same gauges /metrics shows;
   * where they are not counted, that is said instead of a zero nobody measured.
   */
  private JsonObject database() {
    if (!DatabaseConnections.counted()) {
      return JSON.createObjectBuilder().add("unavailable", UNCOUNTED).build();
    }
    return JSON.createObjectBuilder()
        .add("connectionsInUse", gauge(RealtimeMetrics.DB_CONNECTIONS_IN_USE))
        .add("connectionsWaiting", gauge(RealtimeMetrics.DB_CONNECTIONS_WAITING))
        .build();
  }

  private long gauge(String name) {
    return metrics.gauge(name).map(Number::longValue).orElse(0L);
  }

  private static double rate(long delta, double seconds) {
    return Math.round(delta / seconds * 100) / 100.0;
  }

  private JsonObject percentiles(String histogram) {
    JsonObjectBuilder json = JSON.createObjectBuilder();
    Optional<Percentiles> values = metrics.histogram(histogram);
    if (values.isEmpty() || Double.isNaN(values.get().p50())) {
      return json.add("count", values.map(Percentiles::count).orElse(0L))
          .addNull("p50")
          .addNull("p99")
          .build();
    }
    return json.add("count", values.get().count())
        .add("p50", values.get().p50())
        .add("p99", values.get().p99())
        .build();
  }

  private static JsonObject counts(Map<String, Long> counts) {
    JsonObjectBuilder json = JSON.createObjectBuilder();
    counts.forEach(json::add);
    return json.build();
  }
}

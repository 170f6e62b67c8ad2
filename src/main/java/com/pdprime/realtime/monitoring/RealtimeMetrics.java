package com.pdprime.realtime.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Gauge;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Snapshot;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Every counter and gauge of the real-time engine, in one place so names and tags stay consistent.
 * They appear at {@code /metrics} under the application scope.
 */
@ApplicationScoped
public class RealtimeMetrics {
  @Inject MetricRegistry registry;

  // The metrics touched once per message or per event are looked up once, not on every update.
  private Counter messagesIn;
  private Counter messagesOut;
  private Histogram fanOut;
  private Histogram publishToWrite;
  private Histogram relayLag;
  private Histogram restResponse;
  private Histogram quoteCalculation;

  public static final String CONNECTIONS_OPEN = "realtime_connections_open";
  public static final String SUBSCRIPTIONS = "realtime_subscriptions";
  public static final String ROOMS = "realtime_rooms";
  public static final String MESSAGES_IN = "realtime_messages_in_total";
  public static final String MESSAGES_OUT = "realtime_messages_out_total";
  public static final String ERRORS = "realtime_errors_total";
  public static final String CLOSES = "realtime_closes_total";
  public static final String PUBLISH_TO_WRITE = "realtime_publish_to_write_ms";
  public static final String WRITER_BACKLOG = "realtime_writer_backlog";
  public static final String RELAY_QUEUE_DEPTH = "realtime_relay_queue_depth";
  public static final String RELAY_LAG = "realtime_relay_lag_ms";
  public static final String RELAY_SENT = "realtime_relay_sent_total";
  public static final String RELAY_FAILURES = "realtime_relay_failures_total";
  public static final String REST_RESPONSE = "realtime_rest_response_ms";
  public static final String QUOTE_CALCULATION = "realtime_quote_calculation_ms";
  public static final String DB_CONNECTIONS_IN_USE = "realtime_db_connections_in_use";
  public static final String DB_CONNECTIONS_WAITING = "realtime_db_connections_waiting";
  public static final String HISTORY_MEMORY_HITS = "realtime_history_memory_hits_total";
  public static final String HISTORY_MEMORY_MISSES = "realtime_history_memory_misses_total";
  private final AtomicLong heartbeatDelayMillis = new AtomicLong();

  @PostConstruct
  void register() {
    messagesIn = registry.counter(MESSAGES_IN);
    messagesOut = registry.counter(MESSAGES_OUT);
    fanOut = registry.histogram("realtime_fanout_recipients");
    publishToWrite = registry.histogram(PUBLISH_TO_WRITE);
    relayLag = registry.histogram(RELAY_LAG);
    restResponse = registry.histogram(REST_RESPONSE);
    quoteCalculation = registry.histogram(QUOTE_CALCULATION);
    registry.gauge("realtime_heartbeat_server_delay_ms", heartbeatDelayMillis::get);
  }

  public void connectionsGauge(Supplier<Number> openConnections) {
    registry.gauge(CONNECTIONS_OPEN, openConnections);
  }

  public void subscriptionsGauge(Supplier<Number> subscriptions) {
    registry.gauge(SUBSCRIPTIONS, subscriptions);
  }

  /** Outboxes with frames waiting for a writer thread: above zero for long means writers lag. */
  public void writerBacklogGauge(Supplier<Number> readyOutboxes) {
    registry.gauge(WRITER_BACKLOG, readyOutboxes);
  }

  public void connectionOpened() {
    registry.counter("realtime_connections_opened_total").inc();
  }

  public void handshakeRefused(String reason) {
    registry.counter("realtime_handshakes_refused_total", new Tag("reason", reason)).inc();
  }

  public void restRefused(String code) {
    registry.counter("realtime_rest_refused_total", new Tag("code", code)).inc();
  }

  public void messageIn() {
    messagesIn.inc();
  }

  public void messagesOut(int count) {
    messagesOut.inc(count);
  }

  public void error(String code) {
    registry.counter(ERRORS, new Tag("code", code)).inc();
  }

  public void closed(int code) {
    registry.counter(CLOSES, new Tag("code", Integer.toString(code))).inc();
  }

  public void resumed(boolean recovered) {
    registry
        .counter("realtime_resumes_total", new Tag("recovered", Boolean.toString(recovered)))
        .inc();
  }

  public void fanOut(int recipients) {
    fanOut.update(recipients);
  }

  /**
   * Milliseconds from an event's publication (its commit) until a connection's write of it
   * completed; sampled by the caller.
   */
  public void publishToWrite(long millis) {
    publishToWrite.update(millis);
  }

  /** The delay the heartbeat allowed in its last round for the server's own lateness. */
  public void heartbeatDelay(long millis) {
    heartbeatDelayMillis.set(millis);
  }

  public void relaySent() {
    registry.counter(RELAY_SENT).inc();
  }

  public void relayFailed() {
    registry.counter(RELAY_FAILURES).inc();
  }

  public void relayUnreadable() {
    registry.counter("realtime_relay_unreadable_total").inc();
  }

  public void relayGapFilled(long events) {
    registry.counter("realtime_relay_gap_filled_total").inc(events);
  }

  public void relayDuplicateDropped() {
    registry.counter("realtime_relay_duplicates_dropped_total").inc();
  }

  /** A resume's missed events were all served from this instance's memory. */
  public void historyMemoryHit() {
    registry.counter(HISTORY_MEMORY_HITS).inc();
  }

  /** A resume's missed events were not all in memory and were read from the database. */
  public void historyMemoryMiss() {
    registry.counter(HISTORY_MEMORY_MISSES).inc();
  }

  /** What the in-memory recent history holds: estimated bytes, events, rooms. */
  public void historyMemoryGauges(
      Supplier<Number> bytes, Supplier<Number> events, Supplier<Number> rooms) {
    registry.gauge("realtime_history_memory_bytes", bytes);
    registry.gauge("realtime_history_memory_events", events);
    registry.gauge("realtime_history_memory_rooms", rooms);
  }

  public void presenceFailed() {
    registry.counter("realtime_presence_failures_total").inc();
  }

  /**
   * This instance's publish-to-write percentiles in milliseconds, as {@code /metrics} shows them;
   * empty before the first sampled write.
   */
  public Optional<Percentiles> publishToWritePercentiles() {
    return percentiles(publishToWrite);
  }

  /** The percentiles of an application histogram (every tag combination merged is not offered). */
  public Optional<Percentiles> histogram(String name) {
    Histogram histogram = registry.getHistogram(new MetricID(name));
    return histogram == null ? Optional.empty() : percentiles(histogram);
  }

  /** The current value of an application gauge, or empty if it is not registered. */
  public Optional<Number> gauge(String name) {
    Gauge<?> gauge = registry.getGauge(new MetricID(name));
    return gauge == null ? Optional.empty() : Optional.ofNullable(gauge.getValue());
  }

  /** An untagged counter's count; 0 before its first increment (counters appear on first use). */
  public long counter(String name) {
    Counter counter = registry.getCounter(new MetricID(name));
    return counter == null ? 0 : counter.getCount();
  }

  /** A tagged counter's counts by the value of {@code tag}, e.g. closes by code. */
  public Map<String, Long> counters(String name, String tag) {
    Map<String, Long> counts = new TreeMap<>();
    registry
        .getCounters((id, metric) -> id.getName().equals(name))
        .forEach((id, counter) -> counts.put(id.getTags().get(tag), counter.getCount()));
    return counts;
  }

  /** The persistence unit's JDBC connections (persistence/DatabaseConnections). */
  public void databaseConnectionGauges(Supplier<Number> inUse, Supplier<Number> waiting) {
    registry.gauge(DB_CONNECTIONS_IN_USE, inUse);
    registry.gauge(DB_CONNECTIONS_WAITING, waiting);
  }

  public void relayQueueGauge(Supplier<Number> depth) {
    registry.gauge(RELAY_QUEUE_DEPTH, depth);
  }

  public void roomsGauge(Supplier<Number> rooms) {
    registry.gauge(ROOMS, rooms);
  }

  /** From a durable event's commit to its arrival here through the relay. */
  public void relayLag(long millis) {
    relayLag.update(millis);
  }

  /** One REST request's time from its arrival to its response. */
  public void restResponse(long millis) {
    restResponse.update(millis);
  }

  /** One successful premium calculation, from its start to the recorded premium. */
  public void quoteCalculation(long millis) {
    quoteCalculation.update(millis);
  }

  private static Optional<Percentiles> percentiles(Histogram histogram) {
    Snapshot snapshot = histogram.getSnapshot();
    if (snapshot.size() == 0) {
      return Optional.empty();
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    for (Snapshot.PercentileValue value : snapshot.percentileValues()) {
      if (value.getPercentile() == 0.5) {
        p50 = value.getValue();
      } else if (value.getPercentile() == 0.99) {
        p99 = value.getValue();
      }
    }
    return Optional.of(new Percentiles(snapshot.size(), p50, p99));
  }

  /** Median and 99th percentile of a histogram, over {@code count} samples. */
  public record Percentiles(long count, double p50, double p99) {}

  /** Error frames sent by this instance since it started, by code. */
  public Map<String, Long> errorsByCode() {
    return counters(ERRORS, "code");
  }

  public void dashboardStreamsGauge(Supplier<Number> running) {
    registry.gauge("realtime_dashboard_streams_running", running);
  }

  public void dashboardViewersGauge(Supplier<Number> viewers) {
    registry.gauge("realtime_dashboard_viewers", viewers);
  }

  public void dashboardQueriesPerStreamGauge(Supplier<Number> perMinute) {
    registry.gauge("realtime_dashboard_queries_per_stream_per_minute", perMinute);
  }

  /** One computation of a dashboard's state from the database, and how long it took. */
  public void dashboardQuery(String dashboard, long millis) {
    registry.counter("realtime_dashboard_queries_total", new Tag("dashboard", dashboard)).inc();
    registry
        .histogram("realtime_dashboard_compute_ms", new Tag("dashboard", dashboard))
        .update(millis);
  }

  public void dashboardFailed(String dashboard) {
    registry.counter("realtime_dashboard_failures_total", new Tag("dashboard", dashboard)).inc();
  }

  public void adminSampleFailed() {
    registry.counter("realtime_admin_sample_failures_total").inc();
  }

  public void journalFailed() {
    registry.counter("realtime_connection_journal_failures_total").inc();
  }

  /** An alert that could not be written (raised or resolved); logged at SEVERE beside it. */
  public void alertWriteFailed() {
    registry.counter("realtime_alert_write_failures_total").inc();
  }

  /** Error frames sent by this instance since it started, all codes together. */
  public long errorsTotal() {
    return errorsByCode().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Connections this instance closed with {@code code} since it started. */
  public long closesTotal(int code) {
    String tag = Integer.toString(code);
    return registry
        .getCounters(
            (id, metric) ->
                id.getName().equals("realtime_closes_total")
                    && tag.equals(id.getTags().get("code")))
        .values()
        .stream()
        .mapToLong(Counter::getCount)
        .sum();
  }

  /** Open connections on this instance, as the {@code realtime_connections_open} gauge reads. */
  public long openConnections() {
    return registry
        .getGauges((id, metric) -> id.getName().equals("realtime_connections_open"))
        .values()
        .stream()
        .mapToLong(gauge -> gauge.getValue().longValue())
        .sum();
  }
}

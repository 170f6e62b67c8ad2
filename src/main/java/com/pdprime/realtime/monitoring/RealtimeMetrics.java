package com.pdprime.realtime.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Every counter and gauge of the real-time engine, in one place so names and tags stay consistent.
 * They appear at {@code /metrics} ({@link Meters}: the same names on Payara and WildFly).
 */
@ApplicationScoped
public class RealtimeMetrics {
  @Inject Meters registry;

  // The metrics touched once per message or per event are looked up once, not on every update.
  private Meters.Count messagesIn;
  private Meters.Count messagesOut;
  private Meters.Distribution fanOut;
  private Meters.Distribution publishToWrite;
  private Meters.Distribution relayLag;
  private Meters.Distribution restResponse;
  private Meters.Distribution quoteCalculation;
  private Meters.Distribution publishGroupSize;
  private final Map<String, Meters.Distribution> histograms = new ConcurrentHashMap<>();

  /** Every metric of the application is named with it. */
  public static final String PREFIX = "realtime_";

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
  public static final String PUBLISH_QUEUE_DEPTH = "realtime_publish_queue_depth";
  public static final String KEYED_PUBLISH_QUEUE_DEPTH = "realtime_keyed_publish_queue_depth";
  public static final String PUBLISH_GROUP_SIZE = "realtime_publish_group_size";
  public static final String HISTORY_MEMORY_HITS = "realtime_history_memory_hits_total";
  public static final String HISTORY_MEMORY_MISSES = "realtime_history_memory_misses_total";
  private final AtomicLong heartbeatDelayMillis = new AtomicLong();

  @PostConstruct
  void register() {
    messagesIn = registry.counter(MESSAGES_IN);
    messagesOut = registry.counter(MESSAGES_OUT);
    fanOut = registered("realtime_fanout_recipients");
    publishToWrite = registered(PUBLISH_TO_WRITE);
    relayLag = registered(RELAY_LAG);
    restResponse = registered(REST_RESPONSE);
    quoteCalculation = registered(QUOTE_CALCULATION);
    publishGroupSize = registered(PUBLISH_GROUP_SIZE);
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
    registry.counter("realtime_handshakes_refused_total", "reason", reason).inc();
  }

  public void restRefused(String code) {
    registry.counter("realtime_rest_refused_total", "code", code).inc();
  }

  /** A REST request body that stopped coming: {@code closed} or {@code timeout}. */
  public void restUnfinishedBody(String reason) {
    registry.counter("realtime_rest_unfinished_bodies_total", "reason", reason).inc();
  }

  public void messageIn() {
    messagesIn.inc();
  }

  public void messagesOut(int count) {
    messagesOut.inc(count);
  }

  public void error(String code) {
    registry.counter(ERRORS, "code", code).inc();
  }

  public void closed(int code) {
    registry.counter(CLOSES, "code", Integer.toString(code)).inc();
  }

  public void resumed(boolean recovered) {
    registry.counter("realtime_resumes_total", "recovered", Boolean.toString(recovered)).inc();
  }

  public void fanOut(int recipients) {
    fanOut.update(recipients);
  }

  /**
   * The histogram of milliseconds from an event's publication (its commit) until a connection's
   * write of it completed, to update directly: its caller is on the writers' path, where a call
   * through this bean's proxy cost more than the update. The caller samples the writes
   * (websocket/PublishToWriteSampler).
   */
  public LongConsumer publishToWriteHistogram() {
    return publishToWrite::update;
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

  /** A relay message in a later release's format, skipped (relay/RelayMessages). */
  public void relayNewerFormat() {
    registry.counter("realtime_relay_newer_format_total").inc();
  }

  /** A relayed event whose delivery on this instance threw, or never started (shutting down). */
  public void relayDeliveryFailed() {
    registry.counter("realtime_relay_delivery_failures_total").inc();
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

  /** A presence change given up: refused on its own, or beyond what an outage keeps. */
  public void presenceDropped() {
    registry.counter("realtime_presence_dropped_total").inc();
  }

  /**
   * This instance's publish-to-write percentiles in milliseconds, as {@code /metrics} shows them;
   * empty before the first sampled write.
   */
  public Optional<Percentiles> publishToWritePercentiles() {
    return publishToWrite.percentiles();
  }

  /**
   * The percentiles of one of the untagged histograms registered at start (every tag combination
   * merged is not offered); empty for any other name.
   */
  public Optional<Percentiles> histogram(String name) {
    Meters.Distribution histogram = histograms.get(name);
    return histogram == null ? Optional.empty() : histogram.percentiles();
  }

  /** The current value of an application gauge, or empty if it is not registered. */
  public Optional<Number> gauge(String name) {
    return registry.gaugeValue(name);
  }

  /** An untagged counter's count; 0 before its first increment (counters appear on first use). */
  public long counter(String name) {
    return registry.counter(name).count();
  }

  /** A tagged counter's counts by the value of {@code tag}, e.g. closes by code. */
  public Map<String, Long> counters(String name, String tag) {
    return registry.countsBy(name, tag);
  }

  /** The persistence unit's JDBC connections (persistence/DatabaseConnections). */
  public void databaseConnectionGauges(Supplier<Number> inUse, Supplier<Number> waiting) {
    registry.gauge(DB_CONNECTIONS_IN_USE, inUse);
    registry.gauge(DB_CONNECTIONS_WAITING, waiting);
  }

  public void relayQueueGauge(Supplier<Number> depth) {
    registry.gauge(RELAY_QUEUE_DEPTH, depth);
  }

  /** Relayed events received and waiting for their room's delivery lane (relay/RelayedDelivery). */
  public void relayDeliveryBacklogGauge(Supplier<Number> backlog) {
    registry.gauge("realtime_relay_delivery_backlog", backlog);
  }

  /** Single publishes waiting for the group commit (rooms/PublishSequencer); bounded. */
  public void publishQueueGauge(Supplier<Number> depth) {
    registry.gauge(PUBLISH_QUEUE_DEPTH, depth);
  }

  /**
   * Publishes with an Idempotency-Key waiting for a thread to store them (rooms/KeyedPublisher).
   */
  public void keyedPublishQueueGauge(Supplier<Number> depth) {
    registry.gauge(KEYED_PUBLISH_QUEUE_DEPTH, depth);
  }

  /** The number of single publishes one group commit stored in one transaction. */
  public void publishGroupSize(int events) {
    publishGroupSize.update(events);
  }

  /** A group commit's transaction failed and its events were stored again one at a time. */
  public void publishGroupRetried() {
    registry.counter("realtime_publish_group_retries_total").inc();
  }

  /**
   * A commit of a group of single publishes or of a batch that threw, by what the database then
   * said of its transaction: {@code committed} (its answer alone was lost), {@code rolled_back}, or
   * {@code unknown}.
   */
  public void publishCommitOutcome(String outcome) {
    registry.counter("realtime_publish_commit_outcomes_total", "outcome", outcome).inc();
  }

  /** A publish-queue message refused as a whole, or one event of it, by error code. */
  public void publishQueueRefused(String code) {
    registry.counter("realtime_publish_queue_refused_total", "code", code).inc();
  }

  /** A publish-queue message that was not stored: rolled back for the broker to redeliver. */
  public void publishQueueRolledBack() {
    registry.counter("realtime_publish_queue_rollbacks_total").inc();
  }

  /** A publish-queue answer that could not be sent to the message's reply-to destination. */
  public void publishQueueReplyFailed() {
    registry.counter("realtime_publish_queue_reply_failures_total").inc();
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
    registry.counter("realtime_dashboard_queries_total", "dashboard", dashboard).inc();
    registry.histogram("realtime_dashboard_compute_ms", "dashboard", dashboard).update(millis);
  }

  public void dashboardFailed(String dashboard) {
    registry.counter("realtime_dashboard_failures_total", "dashboard", dashboard).inc();
  }

  public void adminSampleFailed() {
    registry.counter("realtime_admin_sample_failures_total").inc();
  }

  public void journalFailed() {
    registry.counter("realtime_connection_journal_failures_total").inc();
  }

  /** A journal entry given up: refused on its own, or beyond what an outage keeps. */
  public void journalDropped() {
    registry.counter("realtime_connection_journal_dropped_total").inc();
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
    return counters(CLOSES, "code").getOrDefault(Integer.toString(code), 0L);
  }

  /** Open connections on this instance, as the {@code realtime_connections_open} gauge reads. */
  public long openConnections() {
    return gauge(CONNECTIONS_OPEN).map(Number::longValue).orElse(0L);
  }

  private Meters.Distribution registered(String name) {
    Meters.Distribution histogram = registry.histogram(name);
    histograms.put(name, histogram);
    return histogram;
  }
}

package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.relay.RoomRelay;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.security.Caller;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs premium calculations on the managed executor, stage by stage: an ephemeral {@code
 * quote.calculation.progress} event per stage, then one durable result, {@code
 * quote.premium.calculated} or {@code quote.calculation.failed} with the reason. A failed
 * calculation is not retried: the failure event says what to fix.
 */
@ApplicationScoped
public class QuoteCalculations {
  private static final Logger LOG = Logger.getLogger(QuoteCalculations.class.getName());

  @Inject QuoteService quotes;
  @Inject RoomRelay relay;
  @Inject RealtimeMetrics metrics;
  @Resource ManagedExecutorService executor;

  @Inject
  @ConfigProperty(name = "realtime.quotes.rating-stage-pause-ms")
  long stagePauseMillis;

  /** Starts a calculation and returns its id; progress and result arrive in the quote's room. */
  public String start(String quoteId, Caller caller) throws QuoteProblem {
    Map<String, JsonValue> fields = quotes.fieldsToRate(quoteId, caller);
    long ratedVersions = quotes.fieldVersions(quoteId);
    String calculationId = UUID.randomUUID().toString();
    Instant startedAt = Instant.now();
    executor.execute(() -> run(quoteId, calculationId, fields, ratedVersions, startedAt, caller));
    return calculationId;
  }

  private void run(
      String quoteId,
      String calculationId,
      Map<String, JsonValue> fields,
      long ratedVersions,
      Instant startedAt,
      Caller caller) {
    try {
      List<String> stages = RatingEngine.STAGES;
      for (int i = 0; i < stages.size(); i++) {
        progress(quoteId, calculationId, stages.get(i), i + 1, stages.size());
        if (i == 0) {
          List<String> missing = RatingEngine.missing(fields);
          if (!missing.isEmpty()) {
            quotes.recordFailure(
                quoteId, calculationId, "required fields are missing", missing, caller);
            return;
          }
        }
        pause();
      }
      quotes.recordPremium(
          quoteId, calculationId, ratedVersions, RatingEngine.rate(fields), startedAt, caller);
      metrics.quoteCalculation(Duration.between(startedAt, Instant.now()).toMillis());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "quote=" + quoteId + " calculation=" + calculationId + " failed", e);
      quotes.recordFailure(
          quoteId, calculationId, "rating failed: " + e.getMessage(), List.of(), caller);
    }
  }

  private void progress(String quoteId, String calculationId, String stage, int step, int of) {
    relay.send(
        new EphemeralEvent(
            QuoteService.room(quoteId),
            "quote.calculation.progress",
            System.currentTimeMillis(),
            JSON.createObjectBuilder()
                .add("calculationId", calculationId)
                .add("stage", stage)
                .add("step", step)
                .add("of", of)
                .add("percent", step * 100 / of)
                .build()));
  }

  private void pause() {
    if (stagePauseMillis <= 0) {
      return;
    }
    try {
      Thread.sleep(stagePauseMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("calculation interrupted (server shutting down)", e);
    }
  }
}

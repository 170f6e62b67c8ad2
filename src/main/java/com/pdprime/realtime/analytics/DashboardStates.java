package com.pdprime.realtime.analytics;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.connections.ConnectionStatistics;
import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.Percentiles;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.quotes.QuoteFilter;
import com.pdprime.realtime.quotes.QuoteStatistics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes the state of one dashboard from the database (and, for performance, this instance's
 * histograms). Every map is a JSON object keyed by what it counts, never an array, so a merge patch
 * between two states carries only the entries that changed.
 */
@ApplicationScoped
public class DashboardStates {
  static final int TOP_STATES = 10;

  @Inject QuoteStatistics quotes;
  @Inject ConnectionStatistics connections;
  @Inject RealtimeMetrics metrics;
  @Inject InstanceIdentity instance;

  JsonObject compute(DashboardFilter filter, Instant now) {
    return switch (filter.dashboard()) {
      case QUOTES -> quotes(filter, now);
      case CONVERSION -> conversion(filter, now);
      case PERFORMANCE -> performance(filter, now);
    };
  }

  private JsonObject quotes(DashboardFilter filter, Instant now) {
    QuoteFilter window = filter.quotes(now);
    QuoteStatistics.Totals totals = quotes.totals(window);
    JsonObjectBuilder byStatus = JSON.createObjectBuilder();
    totals.byStatus().forEach(byStatus::add);
    JsonObjectBuilder topStates = JSON.createObjectBuilder();
    quotes.byState(window, TOP_STATES).forEach(topStates::add);
    JsonObjectBuilder sums =
        JSON.createObjectBuilder()
            .add("quotes", totals.quotes())
            .add("customers", totals.customers());
    if (totals.averagePremium() == null) {
      sums.addNull("averagePremium");
    } else {
      sums.add("averagePremium", totals.averagePremium().setScale(2, RoundingMode.HALF_UP));
    }
    return JSON.createObjectBuilder()
        .add("totals", sums)
        .add("byStatus", byStatus)
        .add("timeline", timeline(quotes.createdTimes(window), filter.hours(), now))
        .add("topStates", topStates)
        .build();
  }

  /** One entry per hour of the window, oldest first, zero where nothing was created. */
  static JsonObject timeline(List<Instant> created, int hours, Instant now) {
    Instant currentHour = now.truncatedTo(ChronoUnit.HOURS);
    Map<Instant, Long> counts = new TreeMap<>();
    for (int i = hours - 1; i >= 0; i--) {
      counts.put(currentHour.minus(i, ChronoUnit.HOURS), 0L);
    }
    for (Instant at : created) {
      counts.computeIfPresent(at.truncatedTo(ChronoUnit.HOURS), (hour, n) -> n + 1);
    }
    JsonObjectBuilder json = JSON.createObjectBuilder();
    counts.forEach((hour, n) -> json.add(hour.toString(), n));
    return json.build();
  }

  private JsonObject conversion(DashboardFilter filter, Instant now) {
    QuoteStatistics.Funnel funnel = quotes.funnel(filter.quotes(now));
    JsonObjectBuilder rates = JSON.createObjectBuilder();
    rate(rates, "quoted", funnel.quoted(), funnel.created());
    rate(rates, "bound", funnel.bound(), funnel.created());
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add(
                "funnel",
                JSON.createObjectBuilder()
                    .add("created", funnel.created())
                    .add("quoted", funnel.quoted())
                    .add("bound", funnel.bound()))
            .add("rates", rates);
    Long median = percentile(funnel.secondsToBind(), 0.5);
    if (median == null) {
      json.addNull("medianTimeToBindSeconds");
    } else {
      json.add("medianTimeToBindSeconds", median);
    }
    return json.build();
  }

  private static void rate(JsonObjectBuilder rates, String name, long part, long whole) {
    if (whole == 0) {
      rates.addNull(name);
    } else {
      rates.add(
          name,
          BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP));
    }
  }

  private JsonObject performance(DashboardFilter filter, Instant now) {
    List<Long> calculations = quotes.calculationMillis(filter.from(now));
    JsonObjectBuilder calc = JSON.createObjectBuilder().add("count", calculations.size());
    addOrNull(calc, "p50Ms", percentile(calculations, 0.5));
    addOrNull(calc, "p95Ms", percentile(calculations, 0.95));
    JsonObjectBuilder delivery = JSON.createObjectBuilder().add("instance", instance.id());
    Optional<Percentiles> latency = metrics.publishToWritePercentiles();
    addOrNull(delivery, "p50Ms", latency.map(Percentiles::p50).orElse(Double.NaN));
    addOrNull(delivery, "p99Ms", latency.map(Percentiles::p99).orElse(Double.NaN));
    JsonObjectBuilder closes = JSON.createObjectBuilder();
    connections.closesByCode(filter.from(now)).forEach((code, n) -> closes.add(code.toString(), n));
    JsonObjectBuilder errors = JSON.createObjectBuilder();
    metrics.errorsByCode().forEach(errors::add);
    return JSON.createObjectBuilder()
        .add("calculations", calc)
        .add("delivery", delivery)
        .add("connections", JSON.createObjectBuilder().add("open", connections.open()))
        .add("closes", closes)
        .add("errors", errors)
        .build();
  }

  /** NaN: the histogram has no such percentile yet. */
  private static void addOrNull(JsonObjectBuilder json, String name, double value) {
    if (Double.isNaN(value)) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }

  private static void addOrNull(JsonObjectBuilder json, String name, Long value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }

  /** The nearest-rank percentile, or null of nothing. */
  static Long percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}

package com.pdprime.realtime.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Meters on Micrometer (WildFly's micrometer subsystem, whose Prometheus registry serves {@code
 * /metrics} on the management interface). On Payara, which has no Micrometer, this class cannot
 * load and CDI leaves it out; there {@link MicroProfileMeters} is the one {@link Meters}.
 *
 * <p>Meters are registered through the registry's own methods ({@code counter}, {@code summary},
 * {@code gauge}), not through the builders' {@code register}: WildFly's per-deployment registry
 * forwards only those methods to the Prometheus registry, and a builder's meter never reached
 * {@code /metrics}.
 *
 * <p>A histogram shows {@code _count}, {@code _sum} and {@code _max} as on Payara, but no quantile
 * lines: Micrometer computes quantiles with HdrHistogram, which WildFly's Micrometer module does
 * not include. The median and 99th percentile the application reads itself (admin:system, the
 * delivery dashboard) come from the last {@link RecentSamples#CAPACITY} samples instead.
 *
 * <p>WildFly keeps a deployment's meters when the deployment stops, and a meter registered again
 * under the same name is the old one: after a redeploy, counters went on from the old counts and
 * gauges read the old application's state (NaN once it was collected). So the meters go when the
 * application stops.
 */
@ApplicationScoped
class MicrometerMeters implements Meters {
  @Inject MeterRegistry registry;

  // Micrometer holds a gauge's state weakly; these keep the suppliers as long as the application.
  private final List<Supplier<Number>> gauges = new CopyOnWriteArrayList<>();

  /**
   * An observer, not {@code @PreDestroy}: Payara's annotation scanner reads the class of a
   * {@code @PreDestroy} method even where CDI leaves the bean out, and logs SEVERE for the missing
   * Micrometer classes.
   */
  void removeMeters(@Observes @BeforeDestroyed(ApplicationScoped.class) Object applicationEnding) {
    List<Meter> ours =
        registry.getMeters().stream()
            .filter(meter -> meter.getId().getName().startsWith(RealtimeMetrics.PREFIX))
            .toList();
    ours.forEach(registry::remove);
  }

  @Override
  public Count counter(String name, String... tags) {
    Counter counter = registry.counter(name, tags);
    return new Count() {
      @Override
      public void inc(long n) {
        counter.increment(n);
      }

      @Override
      public long count() {
        return (long) counter.count();
      }
    };
  }

  @Override
  public Distribution histogram(String name, String... tags) {
    DistributionSummary summary = registry.summary(name, Tags.of(tags));
    RecentSamples recent = new RecentSamples();
    return new Distribution() {
      @Override
      public void update(long value) {
        summary.record(value);
        recent.add(value);
      }

      @Override
      public Optional<Percentiles> percentiles() {
        return recent.percentiles(summary.count());
      }
    };
  }

  @Override
  public void gauge(String name, Supplier<Number> value) {
    gauges.add(value);
    registry.gauge(name, Tags.empty(), value, MicrometerMeters::read);
  }

  @Override
  public Optional<Number> gaugeValue(String name) {
    Gauge gauge = registry.find(name).gauge();
    return gauge == null ? Optional.empty() : Optional.of(gauge.value());
  }

  @Override
  public Map<String, Long> countsBy(String name, String tag) {
    Map<String, Long> counts = new TreeMap<>();
    registry
        .find(name)
        .counters()
        .forEach(
            counter ->
                counts.merge(counter.getId().getTag(tag), (long) counter.count(), Long::sum));
    return counts;
  }

  private static double read(Supplier<Number> value) {
    Number number = value.get();
    return number == null ? Double.NaN : number.doubleValue();
  }
}

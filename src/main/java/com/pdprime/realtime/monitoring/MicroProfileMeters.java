package com.pdprime.realtime.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Gauge;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Snapshot;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Meters on MicroProfile Metrics (Payara): the application registry, shown at {@code /metrics} with
 * {@code mp_scope="application"}. On WildFly, which has no MicroProfile Metrics, this class cannot
 * load and CDI leaves it out; there {@link MicrometerMeters} is the one {@link Meters}.
 */
@ApplicationScoped
class MicroProfileMeters implements Meters {
  @Inject MetricRegistry registry;

  @Override
  public Count counter(String name, String... tags) {
    Counter counter = registry.counter(name, tags(tags));
    return new Count() {
      @Override
      public void inc(long n) {
        counter.inc(n);
      }

      @Override
      public long count() {
        return counter.getCount();
      }
    };
  }

  @Override
  public Distribution histogram(String name, String... tags) {
    Histogram histogram = registry.histogram(name, tags(tags));
    return new Distribution() {
      @Override
      public void update(long value) {
        histogram.update(value);
      }

      @Override
      public Optional<Percentiles> percentiles() {
        return MicroProfileMeters.percentiles(histogram.getSnapshot());
      }
    };
  }

  @Override
  public void gauge(String name, Supplier<Number> value) {
    registry.gauge(name, value);
  }

  @Override
  public Optional<Number> gaugeValue(String name) {
    Gauge<?> gauge = registry.getGauge(new MetricID(name));
    return gauge == null ? Optional.empty() : Optional.ofNullable(gauge.getValue());
  }

  @Override
  public Map<String, Long> countsBy(String name, String tag) {
    Map<String, Long> counts = new TreeMap<>();
    registry
        .getCounters((id, metric) -> id.getName().equals(name))
        .forEach(
            (id, counter) -> counts.merge(id.getTags().get(tag), counter.getCount(), Long::sum));
    return counts;
  }

  private static Tag[] tags(String... pairs) {
    Tag[] tags = new Tag[pairs.length / 2];
    for (int i = 0; i < tags.length; i++) {
      tags[i] = new Tag(pairs[2 * i], pairs[2 * i + 1]);
    }
    return tags;
  }

  private static Optional<Percentiles> percentiles(Snapshot snapshot) {
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
}

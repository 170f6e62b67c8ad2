package com.pdprime.realtime.monitoring;

import java.util.List;

/**
 * A check that runs on a period and says, per source it watches, whether a condition an operator
 * must know of is present. {@link Monitors} discovers every implementation (CDI bean), runs it on
 * its own managed threads, raises an alert of type {@link #name()} for each failing observation and
 * resolves it (AUTO) for each healthy one, and records the monitor's tick for the watchdog.
 */
public interface Monitor {
  /** The alert type, the tick's name and the config prefix {@code realtime.monitor.<name>.}. */
  String name();

  long periodMillis();

  /** One observation per source watched; a source left out keeps its alert as it is. */
  List<Observation> check();
}

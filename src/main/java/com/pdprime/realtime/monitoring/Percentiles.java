package com.pdprime.realtime.monitoring;

/** Median and 99th percentile of a histogram, over {@code count} samples. */
public record Percentiles(long count, double p50, double p99) {}

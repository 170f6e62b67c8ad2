package com.pdprime.realtime.quotes;

import java.time.Instant;

/**
 * Which quotes a statistic counts: created (or, for calculations, priced) since {@code from}, and
 * where {@code state} or {@code agent} is given, only those of that US state or created by that
 * agent. Null means "any".
 */
public record QuoteFilter(Instant from, String state, String agent) {}

package com.pdprime.realtime.quotes;

/**
 * Where a quote is: DRAFT (being edited), QUOTED (premium calculated for the current fields), BOUND
 * (sold; no more edits), EXPIRED (the premium's validity ended before it was bound; set by {@link
 * QuoteExpiry}; a field edit makes it a DRAFT again, to be recalculated).
 */
public enum QuoteStatus {
  DRAFT,
  QUOTED,
  BOUND,
  EXPIRED
}

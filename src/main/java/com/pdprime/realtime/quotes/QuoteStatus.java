package com.pdprime.realtime.quotes;

/**
 * Where a quote is: DRAFT (being edited), QUOTED (premium calculated for the current fields), BOUND
 * (sold; no more edits), EXPIRED (too old to bind; set by the policy system, not here yet).
 */
public enum QuoteStatus {
  DRAFT,
  QUOTED,
  BOUND,
  EXPIRED
}

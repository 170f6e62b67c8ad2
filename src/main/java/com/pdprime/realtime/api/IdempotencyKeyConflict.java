package com.pdprime.realtime.api;

/**
 * An idempotency key that cannot be honoured: reused for a different request ({@code inUse} false),
 * or still held by a request that has not finished ({@code inUse} true).
 */
public final class IdempotencyKeyConflict extends Exception {
  private final boolean inUse;

  public IdempotencyKeyConflict(boolean inUse, String message) {
    super(message, null, false, false);
    this.inUse = inUse;
  }

  public boolean inUse() {
    return inUse;
  }
}

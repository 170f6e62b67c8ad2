package com.pdprime.realtime.api;

import java.io.IOException;

/**
 * A request body that never arrived whole: the connection ended before it did, its deadline passed
 * ({@link BodyDeadlines}), or the container gave up waiting for its next byte (its read timeout).
 * Thrown while the body is read, before any resource runs; {@link UnfinishedBodyMapper} answers it.
 * Not {@code MALFORMED_JSON}: nothing is known about the bytes that did not come.
 */
public final class UnfinishedBody extends RuntimeException {
  private final boolean timedOut;

  UnfinishedBody(IOException failure) {
    super(failure.toString(), failure, false, false);
    this.timedOut = timedOut(failure);
  }

  /**
   * Whether the client is still there and merely stopped sending: the body deadline and Grizzly's
   * read timeout (Payara) report an {@code IOException} caused by a {@code TimeoutException}, and
   * Undertow's would be its own {@code ReadTimeoutException} (WildFly's listener sets none,
   * docs/operations.md §5.6); a connection that ended is an {@code EOFException} (Grizzly) or a
   * closed-connection {@code IOException} (Undertow's {@code UT000128}). Only the names say which.
   */
  boolean timedOut() {
    return timedOut;
  }

  private static boolean timedOut(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause.getClass().getSimpleName().endsWith("TimeoutException")) {
        return true;
      }
    }
    return false;
  }
}

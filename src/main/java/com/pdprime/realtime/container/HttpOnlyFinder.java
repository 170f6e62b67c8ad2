package com.pdprime.realtime.container;

import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.portunif.PUContext;
import org.glassfish.grizzly.portunif.ProtocolFinder;

/**
 * The listener's one protocol finder: it speaks only HTTP/1.1, so every connection is HTTP.
 * HeaderDeadlineFilter consults it once a connection's header block has ended. Grizzly's own
 * HttpProtocolFinder would refuse request lines over 2048 bytes, which the listener accepts without
 * port unification (up to its 8192-byte header limit).
 */
public class HttpOnlyFinder implements ProtocolFinder {

  /**
   * Refuses an invalid deadline as HeaderDeadlineFilter does. Payara replaces a port unification
   * filter that fails to start with its plain one and serves on without a deadline; a finder that
   * fails leaves the listener without a protocol, so it closes every connection and the mistake is
   * noticed at once.
   */
  public HttpOnlyFinder() {
    HeaderDeadlineFilter.deadlineFrom(System.getProperty(HeaderDeadlineFilter.DEADLINE_PROPERTY));
  }

  @Override
  public Result find(PUContext puContext, FilterChainContext ctx) {
    return Result.FOUND;
  }
}

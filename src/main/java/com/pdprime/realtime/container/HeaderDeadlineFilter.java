package com.pdprime.realtime.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpCodecFilter;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.portunif.PUContext;
import org.glassfish.grizzly.portunif.PUFilter;
import org.glassfish.grizzly.portunif.PUProtocol;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * Gives a connection's request line and headers a deadline from the moment it is accepted.
 * Grizzly's idle timeout closes a silent socket but restarts with every byte, so a client trickling
 * a header line every few seconds (slowloris) held its socket forever.
 *
 * <p>This is the port unification filter of the listener's protocol (preboot.asadmin): Grizzly
 * hands it every byte until a protocol finder has chosen the HTTP protocol, after which the
 * connection sticks to that protocol and WebSocket frames and later keep-alive requests never pass
 * here. It keeps the bytes and consults the finders only once the header block has ended; a timer
 * started at accept writes 408 and closes the socket if that takes longer than the deadline.
 */
public class HeaderDeadlineFilter extends PUFilter {

  /** System property: milliseconds from a connection's accept to the end of its headers. */
  public static final String DEADLINE_PROPERTY = "realtime.http.header-deadline-ms";

  /**
   * System property this filter sets to its deadline once the listener's HTTP protocol is behind
   * it: the application, which cannot see the listener, refuses to start without it (a launch
   * without this jar or without preboot.asadmin's port unification would serve without a deadline,
   * or not at all).
   */
  public static final String INSTALLED_PROPERTY = "realtime.http.header-deadline.installed-ms";

  /** 10 s, as nginx's client_header_timeout and HAProxy's timeout http-request are commonly set. */
  static final long DEFAULT_DEADLINE_MS = 10_000;

  /**
   * Payara's header-buffer-length-bytes (8192, which preboot.asadmin leaves as it is). Past it the
   * bytes go on to Grizzly's HTTP parser, which refuses headers over that limit with 400, so this
   * filter never holds more of a request than the listener would.
   */
  static final int MAX_HEADER_BYTES = 8192;

  private static final Logger LOG = Logger.getLogger(HeaderDeadlineFilter.class.getName());

  private static final byte[] REQUEST_TIMEOUT =
      "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private final long deadlineMs;
  private final Attribute<Deadline> deadlines =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HeaderDeadlineFilter.class.getName());
  private final ScheduledThreadPoolExecutor timer;

  /** Payara creates the filter by class name when it builds the listener, at boot. */
  public HeaderDeadlineFilter() {
    this.deadlineMs = deadlineFrom(System.getProperty(DEADLINE_PROPERTY));
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "http-header-deadline");
              thread.setDaemon(true);
              return thread;
            });
    // Nearly every deadline is cancelled (the headers arrived in time): drop it then, not later.
    timer.setRemoveOnCancelPolicy(true);
    LOG.info(() -> "HTTP header deadline: " + deadlineMs + " ms (" + DEADLINE_PROPERTY + ")");
  }

  static long deadlineFrom(String property) {
    if (property == null) {
      return DEFAULT_DEADLINE_MS;
    }
    long value;
    try {
      value = Long.parseLong(property.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(DEADLINE_PROPERTY + " is not a number: " + property, e);
    }
    if (value <= 0) {
      throw new IllegalArgumentException(DEADLINE_PROPERTY + " must be positive: " + property);
    }
    return value;
  }

  /**
   * Payara registers the listener's HTTP protocol here once it has built its filter chain; the
   * chain gets H2cOfferFilter right behind its HTTP codec, the one place that sees every request.
   */
  @Override
  public void register(PUProtocol protocol) {
    super.register(protocol);
    FilterChain chain = protocol.getFilterChain();
    int codec = chain.indexOfType(HttpCodecFilter.class);
    if (codec < 0) {
      throw new IllegalStateException("The listener's protocol has no HTTP codec: " + chain);
    }
    chain.add(codec + 1, new H2cOfferFilter());
    System.setProperty(INSTALLED_PROPERTY, Long.toString(deadlineMs));
  }

  @Override
  public NextAction handleAccept(FilterChainContext ctx) throws IOException {
    Connection<?> connection = ctx.getConnection();
    deadlines.set(connection, new Deadline(connection));
    // The HTTP protocol's idle timeout filter sits behind this one and would never see the accept,
    // so it would never watch the connection: no idle timeout at all, not even for a socket that
    // sends nothing. Before the headers end it counts from the accept, as reads stop here.
    for (IdleTimeoutFilter idleTimeout : idleTimeoutFilters()) {
      idleTimeout.handleAccept(ctx);
    }
    return ctx.getInvokeAction();
  }

  /**
   * Port unification passes a close on along the listener's chain only, never into the chosen
   * protocol's, so the HTTP protocol's idle timeout filter went on watching every closed connection
   * until its timeout (30 s) came, and kept with it the connection's request, response and buffers,
   * about 31 KB each: a reconnect storm's 10,000 dropped connections stayed live beside the 10,000
   * new ones (bench/RESULTS.md, "Fourth stop of 2026-12-05"). It is told of the close here, as of
   * the accept; so is a deadline still running, which a closed connection no longer needs.
   */
  @Override
  public NextAction handleClose(FilterChainContext ctx) throws IOException {
    Deadline deadline = deadlines.get(ctx.getConnection());
    if (deadline != null) {
      deadline.pass();
    }
    for (IdleTimeoutFilter idleTimeout : idleTimeoutFilters()) {
      idleTimeout.handleClose(ctx);
    }
    return super.handleClose(ctx);
  }

  private List<IdleTimeoutFilter> idleTimeoutFilters() {
    List<IdleTimeoutFilter> found = new ArrayList<>();
    for (PUProtocol protocol : getProtocols()) {
      for (Filter filter : protocol.getFilterChain()) {
        if (filter instanceof IdleTimeoutFilter idleTimeout) {
          found.add(idleTimeout);
        }
      }
    }
    return found;
  }

  @Override
  protected void findProtocol(PUContext puContext, FilterChainContext ctx) {
    Buffer received = ctx.getMessage();
    if (!headersEnded(received) && received.remaining() <= MAX_HEADER_BYTES) {
      return; // no protocol chosen yet: Grizzly keeps the bytes and calls again with more
    }
    // The timer may have closed the connection while these bytes were on their way.
    if (deadlines.get(ctx.getConnection()).pass()) {
      super.findProtocol(puContext, ctx);
    }
  }

  /**
   * True once the buffer holds an empty line: CRLF CRLF, or bare LFs, which Grizzly also accepts.
   */
  static boolean headersEnded(Buffer buffer) {
    int end = buffer.limit();
    for (int i = buffer.position(); i < end - 1; i++) {
      if (buffer.get(i) != '\n') {
        continue;
      }
      byte next = buffer.get(i + 1);
      if (next == '\n' || (next == '\r' && i + 2 < end && buffer.get(i + 2) == '\n')) {
        return true;
      }
    }
    return false;
  }

  /** One connection's race between its headers ending and its deadline: the first one wins. */
  private final class Deadline {
    private final AtomicBoolean decided = new AtomicBoolean();
    private final ScheduledFuture<?> expiry;

    Deadline(Connection<?> connection) {
      expiry = timer.schedule(() -> expire(connection), deadlineMs, TimeUnit.MILLISECONDS);
    }

    boolean pass() {
      if (!decided.compareAndSet(false, true)) {
        return false;
      }
      expiry.cancel(false);
      return true;
    }

    private void expire(Connection<?> connection) {
      if (!decided.compareAndSet(false, true) || !connection.isOpen()) {
        return;
      }
      connection.write(Buffers.wrap(connection.getMemoryManager(), REQUEST_TIMEOUT));
      // Grizzly's close is graceful: it closes once the queued 408 is written.
      connection.closeSilently();
    }
  }
}

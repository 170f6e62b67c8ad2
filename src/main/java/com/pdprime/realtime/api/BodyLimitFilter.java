package com.pdprime.realtime.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Caps every REST request body at {@code realtime.rest.max-body-bytes} before it is read: a
 * declared {@code Content-Length} over the cap is refused at once, and a chunked body is cut off
 * with the same 413 as soon as it passes the cap, so no body larger than the cap is ever buffered
 * or parsed.
 *
 * <p>A body cut off mid-stream marks the request ({@link #CUT_OFF}), and {@link CutOffBodyAnswer}
 * sends the 413 at once: the rest of the body is still on its way.
 */
@Provider
@PreMatching
public class BodyLimitFilter implements ContainerRequestFilter {
  /**
   * The request property set on a request whose body was not read to its end: cut off at the cap,
   * or unfinished ({@link UnfinishedBody}).
   */
  static final String CUT_OFF = BodyLimitFilter.class.getName() + ".cutOff";

  private final long limit =
      ConfigProvider.getConfig().getValue("realtime.rest.max-body-bytes", Long.class);

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > limit) {
      throw new RequestTooLarge(limit);
    }
    request.setEntityStream(new Capped(request.getEntityStream(), limit, request));
  }

  /** Counts the bytes read and refuses the one past the cap. */
  private static final class Capped extends FilterInputStream {
    private final long limit;
    private final ContainerRequestContext request;
    private long read;

    Capped(InputStream in, long limit, ContainerRequestContext request) {
      super(in);
      this.limit = limit;
      this.request = request;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    /**
     * After a cut-off, leaves the container's stream open: Undertow (WildFly) reads a closed
     * request stream to the end of its body, so closing it (the JSON parser closes what it read)
     * would hold the 413 back until the client had sent everything. The container ends the request
     * itself once the answer is sent.
     */
    @Override
    public void close() throws IOException {
      if (read <= limit) {
        super.close();
      }
    }

    private void count(long n) {
      read += n;
      if (read > limit) {
        request.setProperty(CUT_OFF, Boolean.TRUE);
        throw new RequestTooLarge(limit);
      }
    }
  }
}

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
 */
@Provider
@PreMatching
public class BodyLimitFilter implements ContainerRequestFilter {
  private final long limit =
      ConfigProvider.getConfig().getValue("realtime.rest.max-body-bytes", Long.class);

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > limit) {
      throw new RequestTooLarge(limit);
    }
    request.setEntityStream(new Capped(request.getEntityStream(), limit));
  }

  /** Counts the bytes read and refuses the one past the cap. */
  private static final class Capped extends FilterInputStream {
    private final long limit;
    private long read;

    Capped(InputStream in, long limit) {
      super(in);
      this.limit = limit;
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

    private void count(long n) {
      read += n;
      if (read > limit) {
        throw new RequestTooLarge(limit);
      }
    }
  }
}

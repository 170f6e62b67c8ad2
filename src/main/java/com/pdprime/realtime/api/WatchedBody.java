package com.pdprime.realtime.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The body's stream: remembers the first read that failed, and fails every read after it and every
 * read past the deadline.
 *
 * <p>A failure is final because the container's stream may not be usable after one: Undertow
 * (WildFly 39) keeps the buffer it was filling when the read failed and hands its whole stale
 * content to the next read, up to 8 KB of earlier requests and answers on the same worker. The
 * JDK's reader asks {@link #available()} between reads and drops its exception, so that call is
 * watched too: a client gone mid-body surfaces there first.
 */
final class WatchedBody extends FilterInputStream {
  private final long started = System.nanoTime();
  private final long deadlineNanos;
  private IOException failure;

  WatchedBody(InputStream in, long deadlineNanos) {
    super(in);
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public int read() throws IOException {
    notFailed();
    try {
      int b = super.read();
      checked(b);
      return b;
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    notFailed();
    try {
      return checked(super.read(buffer, offset, length));
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public int available() throws IOException {
    notFailed();
    try {
      return super.available();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Leaves an unfinished body's stream to the container: Undertow reads a closed request stream to
   * the end of its body, which would hold the answer back for as long as the client trickles it.
   */
  @Override
  public void close() throws IOException {
    if (failure == null) {
      super.close();
    }
  }

  private void notFailed() throws IOException {
    if (failure != null) {
      throw new IOException("the body's stream failed before: " + failure.getMessage(), failure);
    }
  }

  /** The first failed read, or null. */
  IOException failure() {
    return failure;
  }

  private int checked(int n) throws IOException {
    long took = System.nanoTime() - started;
    if (n >= 0 && took > deadlineNanos) {
      throw new IOException(
          "the body was not whole "
              + TimeUnit.NANOSECONDS.toMillis(took)
              + " ms after its first read",
          new TimeoutException());
    }
    return n;
  }
}

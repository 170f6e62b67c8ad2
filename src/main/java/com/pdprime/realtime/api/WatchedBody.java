package com.pdprime.realtime.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JSON request body's stream as {@link JsonBodyInterceptor} reads it: remembers the first call
 * that failed and fails every call after it, and ends the body when its deadline passes ({@link
 * BodyDeadlines}), also while the worker waits in a read for bytes that do not come.
 *
 * <p>A failure is final because the container's stream may not be usable after one: Undertow
 * (WildFly 39) keeps the buffer it was filling when the read failed and hands its whole stale
 * content to the next read, up to 8 KB of earlier requests and answers on the same worker. The
 * JDK's reader asks {@link #available()} between reads and drops its exception, so that call is
 * watched too: a client gone mid-body surfaces there first.
 *
 * <p>A deadline that passes during a read interrupts the reading thread, the one way to end a
 * blocking read that the servlet API leaves: WildFly's listener has no read timeout for bodies. The
 * interrupt is consumed before the read returns, so the worker goes on uninterrupted.
 */
final class WatchedBody extends FilterInputStream {
  /** A call on the container's stream. */
  private interface Call {
    int run() throws IOException;
  }

  private final long started = System.nanoTime();
  private IOException failure;
  private Future<?> deadline;

  // Guarded by this: the deadline's thread and the reading thread meet here.
  private Thread reader;
  private boolean overdue;
  private boolean interrupted;

  WatchedBody(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    return watched(super::read);
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    return watched(() -> super.read(buffer, offset, length));
  }

  @Override
  public int available() throws IOException {
    return watched(super::available);
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

  /** The first call that failed (the deadline's own failure among them), or null. */
  IOException failure() {
    return failure;
  }

  void watchedUntil(Future<?> deadline) {
    this.deadline = deadline;
  }

  /** The body is read (or refused): its deadline no longer applies. */
  void finished() {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  /**
   * The deadline passed: the read under way, if any, is interrupted, and every later call fails.
   */
  synchronized void overdue() {
    overdue = true;
    if (reader != null) {
      interrupted = true;
      reader.interrupt();
    }
  }

  private int watched(Call call) throws IOException {
    if (failure != null) {
      throw new IOException("the body's stream failed before: " + failure.getMessage(), failure);
    }
    enter();
    int n;
    try {
      n = call.run();
    } catch (IOException e) {
      throw failed(leave() ? late() : e);
    } catch (RuntimeException | Error e) {
      leave();
      throw e;
    }
    if (leave()) {
      throw failed(late());
    }
    return n;
  }

  private synchronized void enter() throws IOException {
    if (overdue) {
      throw failed(late());
    }
    reader = Thread.currentThread();
  }

  /** True if the deadline passed during the call; its interrupt, if it sent one, is consumed. */
  private synchronized boolean leave() {
    reader = null;
    if (interrupted) {
      interrupted = false;
      Thread.interrupted();
    }
    return overdue;
  }

  private IOException late() {
    return new IOException(
        "the body was not whole "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
            + " ms after its first read",
        new TimeoutException());
  }

  private IOException failed(IOException e) {
    failure = e;
    return e;
  }
}

package com.pdprime.realtime.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A body's stream after its connection failed: what the reader gets must be the client's bytes or
 * an error, never what the container's stream hands out once it has failed.
 */
class WatchedBodyTest {
  private static final String SENT = "{\"name\":\"n";
  private static final String STALE = "ote\",\"data\":{\"token\":\"someone else's\"}}";

  /**
   * A container's stream of a body of which only {@link #SENT} came; what follows is the case's.
   */
  private abstract static class AfterSent extends InputStream {
    final InputStream sent = new ByteArrayInputStream(SENT.getBytes(UTF_8));

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  /**
   * Undertow's stream as a client that leaves mid-body finds it: the bytes that came, then {@code
   * available()} fails, then a read returns the stale buffer it kept.
   */
  private static final class FailingAfterSent extends AfterSent {
    private final InputStream stale = new ByteArrayInputStream(STALE.getBytes(UTF_8));
    final IOException gone =
        new IOException("UT000128: Remote peer closed connection before all data could be read");
    private boolean failed;

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return failed ? stale.read(buffer, offset, length) : sent.read(buffer, offset, length);
    }

    @Override
    public int available() throws IOException {
      if (sent.available() > 0) {
        return sent.available();
      }
      failed = true;
      throw gone;
    }
  }

  /**
   * A container's stream whose client stopped sending: the bytes that came, then a read that waits
   * until its thread is interrupted and throws with the interrupt still set, as a selector-based
   * wait may.
   */
  private static final class WaitingAfterSent extends AfterSent {
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (sent.available() > 0) {
        return sent.read(buffer, offset, length);
      }
      while (!Thread.currentThread().isInterrupted()) {
        LockSupport.park(this);
      }
      throw new InterruptedIOException("interrupted while waiting for the body");
    }
  }

  @Test
  void aFailedAvailableEndsTheBodyThoughTheJdksReaderDropsItsException() {
    FailingAfterSent container = new FailingAfterSent();
    WatchedBody body = new WatchedBody(container);
    StringBuilder read = new StringBuilder();
    IOException thrown =
        assertThrows(
            IOException.class,
            () -> {
              try (Reader reader = new InputStreamReader(body, UTF_8)) {
                char[] chars = new char[8192];
                for (int n; (n = reader.read(chars)) >= 0; ) {
                  read.append(chars, 0, n);
                }
              }
            });
    assertEquals(SENT, read.toString(), "only the client's bytes were read");
    assertFalse(thrown.getMessage().contains("someone"), thrown.getMessage());
    assertSame(container.gone, body.failure(), "the container's own failure is what is answered");
  }

  @Test
  void aReadThatFailedFailsEveryReadAfterIt() throws IOException {
    IOException reset = new IOException("Connection reset by peer");
    InputStream failingOnce =
        new InputStream() {
          private boolean failed;

          @Override
          public int read() throws IOException {
            if (!failed) {
              failed = true;
              throw reset;
            }
            return 'x';
          }
        };
    WatchedBody body = new WatchedBody(failingOnce);
    assertSame(reset, assertThrows(IOException.class, body::read));
    assertSame(reset, assertThrows(IOException.class, body::read).getCause());
    assertSame(reset, assertThrows(IOException.class, () -> body.read(new byte[4])).getCause());
    assertSame(reset, body.failure());
  }

  @Test
  void aReadWaitingForBytesThatDoNotComeEndsAtTheDeadlineAndLeavesTheWorkerUninterrupted()
      throws Exception {
    WatchedBody body = new WatchedBody(new WaitingAfterSent());
    assertEquals(SENT.length(), body.read(new byte[64]), "the bytes that came");
    CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
    CompletableFuture<IOException> failed = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                body.read(new byte[64]);
                failed.completeExceptionally(new AssertionError("the read returned"));
              } catch (IOException e) {
                failed.complete(e);
              }
              stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
    worker.start();
    Thread.sleep(200); // the worker is waiting in the read
    body.overdue();
    IOException late = failed.get(5, TimeUnit.SECONDS);
    assertInstanceOf(TimeoutException.class, late.getCause(), late.toString());
    assertFalse(stillInterrupted.get(5, TimeUnit.SECONDS), "the deadline's interrupt is consumed");
    assertSame(late, body.failure());
    assertThrows(IOException.class, body::available);
  }

  @Test
  void aBodyWhoseDeadlinePassedBetweenReadsFailsAtTheNext() {
    WatchedBody body = new WatchedBody(new ByteArrayInputStream(SENT.getBytes(UTF_8)));
    body.overdue();
    IOException late = assertThrows(IOException.class, body::read);
    assertInstanceOf(TimeoutException.class, late.getCause());
    assertFalse(Thread.currentThread().isInterrupted(), "no read was under way to interrupt");
  }
}

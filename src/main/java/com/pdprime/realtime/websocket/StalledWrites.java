package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes with 4008 every connection whose write has waited for its socket longer than {@code
 * realtime.outbound.send-timeout-ms}, without waiting for that write.
 *
 * <p>The engine keeps this deadline itself, and does not hand it to the container: Payara's Tyrus
 * stores {@code RemoteEndpoint.Async#setSendTimeout} and never reads it for a send, and WildFly's
 * Undertow enforces it by closing the socket, which the registry then recorded as the client's 1006
 * whenever that close came before the failed send's report. A client that stops reading (or
 * vanished without a reset) fills the socket's buffers, and then its write waits for ever; its
 * outbound queue overflows (4008) only if its rooms keep publishing. Before this check such a
 * connection stayed open until the kernel gave up on the socket, its pings queued behind the write
 * were never written (so the heartbeat could not judge it), and a close decided meanwhile waited
 * behind the write as well.
 *
 * <p>Every connection is checked each tick, a quarter of the timeout apart (at most a second), so a
 * stalled write ends between the timeout and a quarter more; a connection already closing is
 * checked too, so its close stops waiting.
 */
@ApplicationScoped
public class StalledWrites {
  private static final Logger LOG = Logger.getLogger(StalledWrites.class.getName());

  @Inject EngineSettings settings;
  @Inject ConnectionRegistry registry;

  long tickMillis() {
    return Math.max(1, Math.min(1000, settings.sendTimeoutMillis() / 4));
  }

  void tick() {
    long now = System.nanoTime();
    long allowed = TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMillis());
    for (Connection connection : registry.all()) {
      long waited = connection.nanosWriting(now);
      if (waited <= allowed) {
        continue;
      }
      String reason =
          "a write waited "
              + TimeUnit.NANOSECONDS.toMillis(waited)
              + " ms for the socket (send timeout "
              + settings.sendTimeoutMillis()
              + " ms): the client is not reading; resume from the last seq received";
      if (connection.state() == ConnectionState.CLOSING) {
        LOG.info(
            "conn="
                + connection.id()
                + " state=CLOSING code="
                + connection.closeCode().code()
                + " closes now, not after its write: "
                + reason);
      }
      connection.writeStalled(reason);
    }
  }
}

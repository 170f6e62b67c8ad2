package com.pdprime.realtime.websocket;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.WebSocketEngine;
import org.glassfish.tyrus.spi.Writer;

/**
 * Tyrus's servlet upgrade handler, reading the client's bytes through an {@link InboundFrameCheck}:
 * Tyrus only ever sees the frames before the first refused one, and the connection is then closed
 * through Tyrus with the check's code and reason, so the endpoint's close, the log line and the
 * closes-by-code metric all carry them. {@link FrameCheckedUpgrade} puts it in place of Tyrus's own
 * handler at the upgrade.
 *
 * <p>The close comes from {@link ServletInputStream#isReady()}, which Tyrus calls after it has
 * handled the bytes of a read: the frames that came before the refused one are carried out first.
 *
 * <p>Every close the server makes while the client's side is still open lingers: the socket stays
 * open until the client closes its side (RFC 6455 §7.1.1: the client answers the close frame, then
 * the server ends the TCP connection) or for at most {@link #LINGER_MILLIS}. Two losses of the
 * close frame made this the rule. Tyrus hands the container the connection's close right after
 * queueing its close frame, and a frame still in Tyrus's queue is dropped: 8 in 800 of the closes
 * Tyrus decides (invalid UTF-8, invalid close codes) reached the client as 1006. And closing a TCP
 * socket with unread input makes the kernel answer with a reset, which can overtake the close
 * frame: a client still writing its 4 MiB frame saw 1006 instead of 1009; after a refusal what the
 * client still sends is read and dropped, up to {@link #LINGER_BYTES}.
 *
 * <p>Every use of the container's objects first asks {@link UpgradedRequest#held()} (a frame's
 * write asks once: {@link HeldOutput}): once the container has recycled the request for another
 * connection, writes fail, reads end the socket with 1006, and closing leaves the container's
 * objects alone (see {@link UpgradedRequest} for the container behaviour this guards against).
 *
 * <p>The writer Tyrus makes for the socket is handed to the endpoint too ({@link TyrusFrames}), so
 * the engine's events go to it encoded once for all their recipients ({@link EncodedSocket}).
 */
final class FrameCheckingUpgradeHandler extends TyrusHttpUpgradeHandler {
  private static final Logger LOG = Logger.getLogger(FrameCheckingUpgradeHandler.class.getName());
  private static final long LINGER_MILLIS = 2000;
  private static final long LINGER_BYTES = 16L * 1024 * 1024;

  private final InboundFrameCheck check;
  private final UpgradedRequest upgraded;
  private final LingeringSockets lingering;
  private final UpgradeHandOver handOver;
  private volatile Connection connection;
  private final AtomicBoolean released = new AtomicBoolean();

  FrameCheckingUpgradeHandler(
      InboundFrameCheck check,
      UpgradedRequest upgraded,
      LingeringSockets lingering,
      UpgradeHandOver handOver) {
    this.check = check;
    this.upgraded = upgraded;
    this.lingering = lingering;
    this.handOver = handOver;
  }

  @Override
  public void preInit(WebSocketEngine.UpgradeInfo upgrade, Writer writer, boolean authenticated) {
    super.preInit(new ForgettingUpgradeInfo(upgrade), writer, authenticated);
  }

  @Override
  public void init(WebConnection webConnection) {
    super.init(new CheckedConnection(webConnection));
  }

  private void refused(InboundFrameCheck.Violation violation) {
    LOG.info(
        "inbound frame refused code=" + violation.code().code() + " reason=" + violation.reason());
    connection.close(violation.code().reason(violation.reason()));
  }

  /**
   * The container recycled the request without closing the socket: the socket ends as a client that
   * vanished (1006), through Tyrus, so the endpoint's close runs and logs it.
   */
  private void released() {
    if (released.compareAndSet(false, true)) {
      LOG.warning(
          "the container released connection "
              + upgraded.connectionId()
              + " while its socket was open; closing the socket with 1006");
      connection.close(
          new CloseReason(
              CloseReason.CloseCodes.CLOSED_ABNORMALLY,
              "the container released the socket's connection"));
    }
  }

  /**
   * Tyrus's answer to the handshake, let go once it has made the connection. Tyrus's handler keeps
   * the object it is given for the socket's life, and Tyrus's own holds the handshake's request
   * with every header, the token's copy among them; the session has taken what it needs by then.
   * Letting it go took the heap per idle connection from 35.3–35.6 to 31.5–31.7 KB on Payara
   * (bench/RESULTS.md, "Fifth stop of 2026-12-04").
   */
  private final class ForgettingUpgradeInfo implements WebSocketEngine.UpgradeInfo {
    private final WebSocketEngine.UpgradeStatus status;
    private volatile WebSocketEngine.UpgradeInfo upgrade;

    ForgettingUpgradeInfo(WebSocketEngine.UpgradeInfo upgrade) {
      this.status = upgrade.getStatus();
      this.upgrade = upgrade;
    }

    @Override
    public WebSocketEngine.UpgradeStatus getStatus() {
      return status;
    }

    @Override
    public Connection createConnection(
        Writer connectionWriter, Connection.CloseListener closeListener) {
      WebSocketEngine.UpgradeInfo made = upgrade;
      if (made == null) {
        throw new IllegalStateException("the upgrade's connection was already made");
      }
      upgrade = null;
      handOver.encodedFrames(new TyrusFrames(connectionWriter));
      Connection created = made.createConnection(connectionWriter, closeListener);
      connection = created;
      return created;
    }
  }

  /**
   * Encoded frames onto the writer Tyrus writes its own frames with: it keeps the order of all of
   * them, and queues what the socket cannot take yet, as for Tyrus's frames.
   */
  private static final class TyrusFrames implements EncodedFrames {
    private final Writer writer;

    TyrusFrames(Writer writer) {
      this.writer = writer;
    }

    @Override
    public void write(ByteBuffer frame, SendHandler done) {
      writer.write(
          frame,
          new CompletionHandler<>() {
            @Override
            public void completed(ByteBuffer written) {
              done.onResult(new SendResult());
            }

            @Override
            public void failed(Throwable cause) {
              done.onResult(new SendResult(cause));
            }

            @Override
            public void cancelled() {
              done.onResult(new SendResult(new CancellationException("the write was cancelled")));
            }
          });
    }
  }

  /** The upgraded connection with its input read through the check. */
  private final class CheckedConnection implements WebConnection {
    private final WebConnection delegate;
    private final AtomicBoolean closeAsked = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable end = this::closeNow;
    private volatile boolean inputEnded;

    CheckedConnection(WebConnection delegate) {
      this.delegate = delegate;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      return new CheckedInput(delegate.getInputStream(), this);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      return new HeldOutput(delegate.getOutputStream(), upgraded);
    }

    /**
     * Tyrus closes after sending its close frame; while the client's side is open the first request
     * lingers (see the class comment), and the second one (the client closed its side), the timer
     * or the engine's stop ({@link LingeringSockets}) closes.
     */
    @Override
    public void close() throws Exception {
      if (!inputEnded && closeAsked.compareAndSet(false, true)) {
        lingering.lingering(end, LINGER_MILLIS);
        if (closed.get()) {
          // The client's side ended and closed the socket between the two lines above.
          lingering.ended(end);
        }
        return;
      }
      closeNow();
    }

    void closeNow() {
      if (closed.compareAndSet(false, true)) {
        lingering.ended(end);
        if (!upgraded.held()) {
          LOG.fine("connection " + upgraded.connectionId() + " was released by the container");
          return;
        }
        try {
          delegate.close();
        } catch (Exception e) {
          LOG.fine("closing a refused connection: " + e);
        }
      }
    }
  }

  private final class CheckedInput extends ServletInputStream {
    private final ServletInputStream in;
    private final CheckedConnection connection;
    private boolean refusedClose;
    private long dropped;

    CheckedInput(ServletInputStream in, CheckedConnection connection) {
      this.in = in;
      this.connection = connection;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (!upgraded.held()) {
        released();
        return 0;
      }
      int read = in.read(bytes, offset, length);
      if (read < 0) {
        connection.inputEnded = true;
        return read;
      }
      if (check.violation() == null) {
        return read == 0 ? 0 : check.admit(bytes, offset, read);
      }
      // Lingering after a refusal: read and drop, and hand Tyrus nothing.
      dropped += read;
      if (dropped > LINGER_BYTES) {
        connection.closeNow();
      }
      return 0;
    }

    /** Tyrus reads into arrays only; a single byte read ends the stream at a refused frame. */
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
    }

    @Override
    public int available() throws IOException {
      if (!upgraded.held()) {
        return 0;
      }
      return in.available();
    }

    @Override
    public boolean isReady() {
      if (!upgraded.held()) {
        released();
        return false;
      }
      InboundFrameCheck.Violation violation = check.violation();
      if (violation != null && !refusedClose) {
        refusedClose = true;
        refused(violation);
      }
      return in.isReady();
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    /** The container tells the end of the client's side to the listener, not always by a read. */
    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(
          new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
              listener.onDataAvailable();
            }

            @Override
            public void onAllDataRead() throws IOException {
              connection.inputEnded = true;
              listener.onAllDataRead();
            }

            @Override
            public void onError(Throwable failure) {
              connection.inputEnded = true;
              listener.onError(failure);
            }
          });
    }
  }
}

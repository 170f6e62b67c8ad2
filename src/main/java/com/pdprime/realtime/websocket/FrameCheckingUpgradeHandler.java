package com.pdprime.realtime.websocket;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;
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
 * <p>After a refusal the socket lingers: what the client still sends is read and dropped until it
 * closes its side, for at most {@link #LINGER_MILLIS} or {@link #LINGER_BYTES}. Closing a TCP
 * socket with unread input makes the kernel answer with a reset, and a reset can overtake the close
 * frame: a client still writing its 4 MiB frame saw 1006 instead of 1009.
 */
public class FrameCheckingUpgradeHandler extends TyrusHttpUpgradeHandler {
  private static final Logger LOG = Logger.getLogger(FrameCheckingUpgradeHandler.class.getName());
  private static final long LINGER_MILLIS = 2000;
  private static final long LINGER_BYTES = 16L * 1024 * 1024;

  private volatile InboundFrameCheck check;
  private volatile Connection connection;

  /** Set by {@link FrameCheckedUpgrade} before the container calls {@link #init}. */
  void check(InboundFrameCheck frameCheck) {
    check = frameCheck;
  }

  @Override
  public void preInit(WebSocketEngine.UpgradeInfo upgrade, Writer writer, boolean authenticated) {
    super.preInit(
        new WebSocketEngine.UpgradeInfo() {
          @Override
          public WebSocketEngine.UpgradeStatus getStatus() {
            return upgrade.getStatus();
          }

          @Override
          public Connection createConnection(
              Writer connectionWriter, Connection.CloseListener closeListener) {
            Connection created = upgrade.createConnection(connectionWriter, closeListener);
            connection = created;
            return created;
          }
        },
        writer,
        authenticated);
  }

  @Override
  public void init(WebConnection webConnection) {
    if (check == null) {
      throw new IllegalStateException("upgrade handler initialised without its frame check");
    }
    super.init(new CheckedConnection(webConnection));
  }

  private void refused(InboundFrameCheck.Violation violation) {
    LOG.info(
        "inbound frame refused code=" + violation.code().code() + " reason=" + violation.reason());
    connection.close(violation.code().reason(violation.reason()));
  }

  /** The upgraded connection with its input read through the check. */
  private final class CheckedConnection implements WebConnection {
    private final WebConnection delegate;
    private final AtomicBoolean closeAsked = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    CheckedConnection(WebConnection delegate) {
      this.delegate = delegate;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      return new CheckedInput(delegate.getInputStream(), this);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      return delegate.getOutputStream();
    }

    /**
     * Tyrus closes after sending its close frame; after a refusal the first request lingers (see
     * the class comment), and the second one (the client closed its side) or the timer closes.
     */
    @Override
    public void close() throws Exception {
      if (check.violation() != null && closeAsked.compareAndSet(false, true)) {
        CompletableFuture.delayedExecutor(LINGER_MILLIS, TimeUnit.MILLISECONDS)
            .execute(this::closeNow);
        return;
      }
      closeNow();
    }

    void closeNow() {
      if (closed.compareAndSet(false, true)) {
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
      if (check.violation() == null) {
        int read = in.read(bytes, offset, length);
        return read <= 0 ? read : check.admit(bytes, offset, read);
      }
      // Lingering after a refusal: read and drop, and hand Tyrus nothing.
      int read = in.read(bytes, offset, length);
      dropped += Math.max(read, 0);
      if (dropped > LINGER_BYTES) {
        connection.closeNow();
      }
      return read < 0 ? read : 0;
    }

    /** Tyrus reads into arrays only; a single byte read ends the stream at a refused frame. */
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public boolean isReady() {
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

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}

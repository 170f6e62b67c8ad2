package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.CloseCode;
import com.pdprime.realtime.protocol.OutboundFrame;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.security.Caller;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client connection: who it is, its explicit state, its rooms, its inbound rate limit and its
 * bounded outbound queue. Everything that sends to a client goes through {@link #send}.
 */
public final class Connection {
  /** How a connection asks to be closed; the registry does the closing, logging and counting. */
  interface Closer {
    void close(Connection connection, CloseCode code, String reason);
  }

  private final String id = UUID.randomUUID().toString();
  private final Session session;
  private final Handshake handshake;
  private final Instant openedAt = Instant.now();
  private final AtomicReference<ConnectionState> state =
      new AtomicReference<>(ConnectionState.CONNECTING);
  private final Set<RoomName> rooms = ConcurrentHashMap.newKeySet();
  private final Outbox outbox;
  private final TokenBucket inbound;
  private final InboundMessage inboundMessage;
  private final Closer closer;
  private final TokenBucket refusalAllowance;
  private final Liveness liveness = new Liveness(System.nanoTime());
  private volatile boolean activeSinceFlush;
  private volatile CloseCode closeCode;
  private volatile String closeReason;
  private volatile ScheduledFuture<?> expiry;
  private volatile Caller caller;

  Connection(
      Session session,
      Handshake handshake,
      EngineSettings settings,
      Closer closer,
      Outbox.Writer writer,
      Outbox.WriteListener writes) {
    this.session = session;
    this.handshake = handshake;
    this.caller = handshake.caller();
    this.closer = closer;
    this.inboundMessage = new InboundMessage(settings.maxFrameBytes());
    this.inbound =
        new TokenBucket(settings.ratePerSecond(), settings.rateBurst(), System.nanoTime());
    // Refusals are forgiven at one per second: a client that keeps sending faster than the limit
    // runs out of allowance at any rate above it, while a brief overshoot costs nothing.
    this.refusalAllowance = new TokenBucket(1, settings.rateLimitCloseAfter(), System.nanoTime());
    this.outbox =
        new Outbox(
            handshake.handOver().socket(session),
            settings.outboundMaxMessages(),
            settings.outboundMaxBytes(),
            settings.outboundMaxBatchBytes(),
            writer,
            new Outbox.Owner() {
              @Override
              public void pingWritten(long writtenAtNanos) {
                liveness.pingWritten(writtenAtNanos);
              }

              @Override
              public void sendFailed(Throwable cause) {
                close(CloseCode.SLOW_CONSUMER, "send failed: " + cause);
              }

              @Override
              public void pingFailed(Exception cause) {
                close(CloseCode.HEARTBEAT_TIMEOUT, "ping could not be sent: " + cause);
              }
            },
            writes);
  }

  public String id() {
    return id;
  }

  /** Who the connection speaks for now: the handshake's token, or the last refreshed one. */
  public Caller caller() {
    return caller;
  }

  void refreshed(Caller refreshed) {
    caller = refreshed;
  }

  /** Whether this is a connection of the operators' socket {@code /ws/admin}. */
  boolean operators() {
    return handshake.operators();
  }

  Handshake handshake() {
    return handshake;
  }

  Session session() {
    return session;
  }

  Instant openedAt() {
    return openedAt;
  }

  ConnectionState state() {
    return state.get();
  }

  boolean moveTo(ConnectionState from, ConnectionState to) {
    return state.compareAndSet(from, to);
  }

  /** Moves to CLOSED; false if it already was, so a close is recorded only once. */
  boolean markClosed() {
    return state.getAndSet(ConnectionState.CLOSED) != ConnectionState.CLOSED;
  }

  Set<RoomName> rooms() {
    return rooms;
  }

  /**
   * Queues a frame for this client. If the queue is over its bound the connection is closed with
   * 4008 (slow consumer) and false is returned; the client resumes from its last seq on reconnect.
   */
  public boolean send(OutboundFrame frame) {
    ConnectionState now = state.get();
    if (now == ConnectionState.CLOSING || now == ConnectionState.CLOSED) {
      return false;
    }
    if (outbox.offer(frame)) {
      return true;
    }
    close(
        CloseCode.SLOW_CONSUMER,
        "outbound queue over its bound of "
            + outbox.bounds()
            + "; resume from the last seq received");
    return false;
  }

  /** Asks for a heartbeat ping on the writer's next turn; see {@link Outbox#ping}. */
  void ping() {
    outbox.ping();
  }

  /** How long the write in flight has waited for the socket; see {@link Outbox#nanosWriting}. */
  long nanosWriting(long nanoTime) {
    return outbox.nanosWriting(nanoTime);
  }

  /**
   * Closes with 4008 a connection whose write has waited too long for its socket, without waiting
   * for that write: a close decided earlier, which was waiting behind it, runs now instead.
   */
  void writeStalled(String reason) {
    close(CloseCode.SLOW_CONSUMER, reason);
    outbox.abandon();
  }

  /**
   * Asks for this connection to be closed with a code and a reason; only the first request counts.
   */
  public void close(CloseCode code, String reason) {
    closer.close(this, code, reason);
  }

  /** Runs the close once the frames already queued for the client are written (see Outbox). */
  void closeAfterDrain(Runnable close) {
    outbox.closeAfterDrain(close);
  }

  /** Records the close this server initiated; false if a close was already under way. */
  boolean beginClose(CloseCode code, String reason) {
    ConnectionState current = state.get();
    while (current == ConnectionState.CONNECTING || current == ConnectionState.OPEN) {
      if (state.compareAndSet(current, ConnectionState.CLOSING)) {
        closeCode = code;
        closeReason = reason;
        return true;
      }
      current = state.get();
    }
    return false;
  }

  /** The scheduled close with 4001 at the token's expiry, cancelled when the connection closes. */
  void expiry(ScheduledFuture<?> scheduled) {
    expiry = scheduled;
  }

  ScheduledFuture<?> expiry() {
    return expiry;
  }

  CloseCode closeCode() {
    return closeCode;
  }

  String closeReason() {
    return closeReason;
  }

  /** What to do with an inbound command under the rate limit. */
  enum Admission {
    ADMIT,
    REFUSE,
    CLOSE
  }

  /** A part of the client's current text message; called only from its message thread. */
  Optional<String> inboundPart(String part, boolean last) throws InboundMessage.TooBig {
    return inboundMessage.add(part, last);
  }

  /** Called only from the connection's message thread. */
  Admission admitInbound() {
    long now = System.nanoTime();
    heard(now);
    activeSinceFlush = true;
    if (inbound.tryTake(now)) {
      return Admission.ADMIT;
    }
    return refusalAllowance.tryTake(now) ? Admission.REFUSE : Admission.CLOSE;
  }

  /**
   * Any frame from the client proves it is alive: pongs, commands, even invalid frames. Only text
   * frames are activity for the journal ({@link #takeActivity}): a pong is the heartbeat's, and
   * journaling pongs rewrote every connection's row once per heartbeat interval (bench/RESULTS.md).
   */
  void heard(long nanoTime) {
    liveness.heard(nanoTime);
  }

  /** What the heartbeat judges the connection by. */
  Liveness liveness() {
    return liveness;
  }

  /** True once per flush interval if the client sent a text frame since the last call. */
  boolean takeActivity() {
    boolean active = activeSinceFlush;
    activeSinceFlush = false;
    return active;
  }
}

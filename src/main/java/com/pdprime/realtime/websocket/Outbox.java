package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.OutboundFrame;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection's bounded outbound queue. Offering a frame only queues it and, if the connection is
 * not already waiting for a writer or writing, hands the outbox to its writer ({@link Writer}); the
 * writer sends everything queued by then as one text frame, joined by newlines. At most one send is
 * in flight. So a client that falls behind, or a server busy fanning out, gets several events per
 * frame instead of one frame each, and the fan-out loop itself never touches a socket.
 *
 * <p>A frame offered to an idle outbox is not queued: it travels to the writer with the outbox's
 * turn ({@link Writer#schedule}), and is counted against the bounds while it does. The outbox lives
 * as long as its connection, so it is in the old generation, and every frame stored in it is a
 * reference from an old object to a young one: G1 finds those by scanning the card that holds it,
 * at the next young pause and in its refinement threads. An event for 10,000 connections left
 * 10,000 such cards; scanning cards was most of a young pause at 1,000 publishes a second
 * (bench/RESULTS.md, "Second stop of 2026-12-02"). Only frames that arrive while the connection
 * waits for its writer or writes are queued now.
 *
 * <p>The heartbeat's pings go out the same way, on the writer's turn, ahead of the frames queued
 * with them. Grizzly writes a frame through a buffer from the writing thread's pool, and only the
 * writers' threads have one ({@link WriterThreads}): sent from the timer's thread, every ping cost
 * a new 8 KiB array, 400 a second with 10,000 connections.
 *
 * <p>When a frame would exceed the message or byte bound, the queue refuses it and stays refused:
 * the caller closes the connection with 4008 and the client resumes from its last seq. Nothing is
 * dropped silently. A write can also wait for its socket without end (a client that reads nothing
 * while its room falls silent never overflows the queue): the outbox tells how long the write in
 * flight has waited ({@link #nanosWriting}), and {@link StalledWrites} gives up on it ({@link
 * #abandon}). Payara's Tyrus does not time a send out itself (docs/architecture.md).
 */
final class Outbox {
  /** What the connection that owns the outbox hears about: a ping written, or a failed write. */
  interface Owner {
    /** A ping went to the socket; its payload is {@code writtenAtNanos}, for the pong to echo. */
    void pingWritten(long writtenAtNanos);

    void sendFailed(Throwable cause);

    void pingFailed(Exception cause);
  }

  /** Hears of each completed write that carried events, with the oldest event's publish time. */
  interface WriteListener {
    void eventsWritten(long oldestPublishedAtMillis);
  }

  /**
   * Runs {@link #drain} for an outbox that has frames to send, soon, on a writer thread, with the
   * frame handed over with the turn, if any.
   */
  interface Writer {
    void schedule(Outbox outbox, OutboundFrame handed);
  }

  /**
   * The connection's socket as the outbox writes to it: {@link EncodedSocket} where the container
   * takes encoded frames (Payara), {@link TextSocket} elsewhere.
   */
  interface Socket {
    /**
     * Sends the frames as one text message, their texts joined by newlines; {@code done} hears how
     * the write ended. Throws if the socket can no longer be written to.
     */
    void sendText(List<OutboundFrame> frames, SendHandler done);

    void sendPing(ByteBuffer payload) throws IOException;
  }

  private final Socket socket;
  private final int maxMessages;
  private final int maxBytes;
  private final int maxBatchBytes;
  private final Writer writer;
  private final Owner owner;
  private final WriteListener writes;
  private final ArrayDeque<OutboundFrame> queue = new ArrayDeque<>();
  private int queuedBytes;
  private long inFlightPublishedAtMillis;

  /** When the write in flight was handed to the socket ({@link System#nanoTime}). */
  private long writeBeganNanos;

  private boolean scheduled;

  /** The oldest frame is not in {@link #queue}: it travels with the writer's turn. */
  private boolean handedOver;

  private boolean writing;
  private boolean refused;
  private Runnable afterDrain;

  /** A heartbeat ping waits for the writer's turn. */
  private boolean pingWanted;

  Outbox(
      Socket socket,
      int maxMessages,
      int maxBytes,
      int maxBatchBytes,
      Writer writer,
      Owner owner,
      WriteListener writes) {
    this.socket = socket;
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.maxBatchBytes = maxBatchBytes;
    this.writer = writer;
    this.owner = owner;
    this.writes = writes;
  }

  /** Queues a frame; false means the queue is over its bound and the connection must be closed. */
  boolean offer(OutboundFrame frame) {
    synchronized (this) {
      if (refused) {
        return false;
      }
      if (queuedMessages() >= maxMessages || queuedBytes + frame.bytes() > maxBytes) {
        refuse();
        return false;
      }
      queuedBytes += frame.bytes();
      if (writing || scheduled) {
        queue.add(frame);
        return true;
      }
      scheduled = true;
      handedOver = true;
    }
    writer.schedule(this, frame);
    return true;
  }

  /**
   * Asks for a heartbeat ping on the writer's next turn; one already waiting answers for both. Not
   * bounded like frames: at most one waits. The ping carries the time it is written, not the time
   * it was asked for: the wait for the writer is the server's, and the heartbeat judges the client
   * only from the moment the ping reached its socket.
   */
  void ping() {
    synchronized (this) {
      if (refused) {
        return;
      }
      pingWanted = true;
      if (writing || scheduled) {
        return;
      }
      scheduled = true;
    }
    writer.schedule(this, null);
  }

  /**
   * Runs {@code close} once every frame queued so far is written, so a client reads, say, the error
   * that explains a close before the close frame; at once if nothing more can be written (the queue
   * was refused, a send failed, or the write in flight was abandoned).
   */
  void closeAfterDrain(Runnable close) {
    synchronized (this) {
      if (!refused && (writing || handedOver || !queue.isEmpty())) {
        afterDrain = close;
        return;
      }
    }
    close.run();
  }

  /**
   * The writer's turn: sends the waiting ping, then what is queued, as one frame, {@code handed}
   * (the frame handed over with the turn, or null) first. Only a frame offered to an idle outbox is
   * handed over, and the turn it comes with is the next write, so it never waits behind another.
   */
  void drain(OutboundFrame handed) {
    List<OutboundFrame> batch;
    Runnable close;
    boolean pingNow = false;
    synchronized (this) {
      scheduled = false;
      handedOver = false;
      OutboundFrame first = refused ? null : handed;
      close = writing || first != null ? null : takeAfterDrainIfDone();
      if (!writing && !refused && close == null && pingWanted) {
        pingNow = true;
        pingWanted = false;
      }
      if (writing || refused || (first == null && queue.isEmpty())) {
        batch = null;
      } else {
        writing = true;
        writeBeganNanos = System.nanoTime();
        batch = nextBatch(first);
      }
    }
    if (close != null) {
      close.run();
    }
    if (pingNow && !sentPing()) {
      return;
    }
    if (batch == null) {
      return;
    }
    try {
      socket.sendText(batch, this::written);
    } catch (RuntimeException e) {
      // The container refuses sends on a closing socket; the connection ends as a failed send.
      written(new SendResult(e));
    }
  }

  /**
   * False if the ping could not be sent: the socket is broken or closing, so nothing more is
   * written (the batch taken with it is dropped with the queue) and the owner closes the
   * connection.
   */
  private boolean sentPing() {
    long now = System.nanoTime();
    try {
      socket.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, now));
    } catch (IOException | RuntimeException e) {
      Runnable close;
      synchronized (this) {
        writing = false;
        refuse();
        close = takeAfterDrainIfDone();
      }
      owner.pingFailed(e);
      if (close != null) {
        close.run();
      }
      return false;
    }
    owner.pingWritten(now);
    return true;
  }

  /**
   * How long the write in flight has waited for the socket; 0 if none is, or if the outbox has
   * already given up (refused or abandoned), so a write is reported stalled only once.
   */
  synchronized long nanosWriting(long nanoTime) {
    return writing && !refused ? nanoTime - writeBeganNanos : 0;
  }

  /**
   * Gives up on the write in flight: nothing more is queued or written, and a close waiting for the
   * drain runs now instead of behind a write that may never complete.
   */
  void abandon() {
    Runnable close;
    synchronized (this) {
      refuse();
      close = afterDrain;
      afterDrain = null;
    }
    if (close != null) {
      close.run();
    }
  }

  /** The bounds, for the reason of a close; made when asked, not kept by every connection. */
  String bounds() {
    return maxMessages + " messages / " + maxBytes + " bytes";
  }

  synchronized int queuedMessages() {
    return queue.size() + (handedOver ? 1 : 0);
  }

  synchronized int queuedBytes() {
    return queuedBytes;
  }

  private void written(SendResult result) {
    long publishedAtMillis;
    Runnable close;
    boolean more = false;
    synchronized (this) {
      writing = false;
      publishedAtMillis = inFlightPublishedAtMillis;
      if (!result.isOK()) {
        refuse();
      }
      close = takeAfterDrainIfDone();
      if (close == null && !refused && (!queue.isEmpty() || pingWanted) && !scheduled) {
        scheduled = true;
        more = true;
      }
    }
    if (!result.isOK()) {
      owner.sendFailed(result.getException());
    } else if (publishedAtMillis != 0) {
      writes.eventsWritten(publishedAtMillis);
    }
    if (more) {
      writer.schedule(this, null);
    }
    if (close != null) {
      close.run();
    }
  }

  /**
   * The pending close, if nothing is left to write; caller holds the lock and nothing is in flight.
   */
  private Runnable takeAfterDrainIfDone() {
    if (afterDrain == null || !(refused || queue.isEmpty())) {
      return null;
    }
    Runnable close = afterDrain;
    afterDrain = null;
    return close;
  }

  private void refuse() {
    refused = true;
    handedOver = false;
    queue.clear();
    queuedBytes = 0;
    pingWanted = false;
  }

  private List<OutboundFrame> nextBatch(OutboundFrame handed) {
    OutboundFrame first = handed != null ? handed : queue.poll();
    queuedBytes -= first.bytes();
    inFlightPublishedAtMillis = first.publishedAtMillis();
    if (queue.isEmpty() || first.bytes() + 1 + queue.peek().bytes() > maxBatchBytes) {
      return List.of(first);
    }
    List<OutboundFrame> batch = new ArrayList<>(queue.size() + 1);
    batch.add(first);
    int size = first.bytes();
    while (!queue.isEmpty() && size + 1 + queue.peek().bytes() <= maxBatchBytes) {
      OutboundFrame next = queue.poll();
      queuedBytes -= next.bytes();
      size += 1 + next.bytes();
      batch.add(next);
      if (inFlightPublishedAtMillis == 0) {
        inFlightPublishedAtMillis = next.publishedAtMillis();
      }
    }
    return batch;
  }
}

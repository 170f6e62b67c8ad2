package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.OutboundFrame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import java.util.ArrayDeque;

/**
 * A connection's bounded outbound queue and its single writer. At most one send is in flight;
 * frames that queue up behind it go out together, joined by newlines, in the next text frame. When
 * a frame would exceed the message or byte bound, the queue refuses it and stays refused: the
 * caller closes the connection with 4008 and the client resumes from its last seq. Nothing is
 * dropped silently.
 */
final class Outbox {
  /** What the owner hears about: the writer failed, e.g. the send timed out. */
  interface FailureListener {
    void sendFailed(Throwable cause);
  }

  /** Hears of each completed write that carried events, with the oldest event's publish time. */
  interface WriteListener {
    void eventsWritten(long oldestPublishedAtMillis);
  }

  private final RemoteEndpoint.Async remote;
  private final int maxMessages;
  private final int maxBytes;
  private final int maxBatchBytes;
  private final FailureListener failures;
  private final WriteListener writes;
  private final ArrayDeque<OutboundFrame> queue = new ArrayDeque<>();
  private int queuedBytes;
  private long inFlightPublishedAtMillis;
  private boolean writing;
  private boolean refused;

  Outbox(
      RemoteEndpoint.Async remote,
      int maxMessages,
      int maxBytes,
      int maxBatchBytes,
      FailureListener failures,
      WriteListener writes) {
    this.remote = remote;
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.maxBatchBytes = maxBatchBytes;
    this.failures = failures;
    this.writes = writes;
  }

  /** Queues a frame; false means the queue is over its bound and the connection must be closed. */
  boolean offer(OutboundFrame frame) {
    String batch;
    synchronized (this) {
      if (refused) {
        return false;
      }
      if (queue.size() >= maxMessages || queuedBytes + frame.bytes() > maxBytes) {
        refused = true;
        queue.clear();
        queuedBytes = 0;
        return false;
      }
      queue.add(frame);
      queuedBytes += frame.bytes();
      if (writing) {
        return true;
      }
      writing = true;
      batch = nextBatch();
    }
    remote.sendText(batch, this::written);
    return true;
  }

  synchronized int queuedMessages() {
    return queue.size();
  }

  synchronized int queuedBytes() {
    return queuedBytes;
  }

  private void written(SendResult result) {
    if (!result.isOK()) {
      synchronized (this) {
        refused = true;
        queue.clear();
        queuedBytes = 0;
      }
      failures.sendFailed(result.getException());
      return;
    }
    String batch;
    long publishedAtMillis;
    synchronized (this) {
      publishedAtMillis = inFlightPublishedAtMillis;
      if (queue.isEmpty() || refused) {
        writing = false;
        batch = null;
      } else {
        batch = nextBatch();
      }
    }
    if (publishedAtMillis != 0) {
      writes.eventsWritten(publishedAtMillis);
    }
    if (batch == null) {
      return;
    }
    remote.sendText(batch, this::written);
  }

  private String nextBatch() {
    OutboundFrame first = queue.poll();
    queuedBytes -= first.bytes();
    inFlightPublishedAtMillis = first.publishedAtMillis();
    if (queue.isEmpty() || first.bytes() + 1 + queue.peek().bytes() > maxBatchBytes) {
      return first.text();
    }
    StringBuilder batch = new StringBuilder(Math.min(maxBatchBytes, queuedBytes + first.bytes()));
    batch.append(first.text());
    int size = first.bytes();
    while (!queue.isEmpty() && size + 1 + queue.peek().bytes() <= maxBatchBytes) {
      OutboundFrame next = queue.poll();
      queuedBytes -= next.bytes();
      if (inFlightPublishedAtMillis == 0) {
        inFlightPublishedAtMillis = next.publishedAtMillis();
      }
      size += 1 + next.bytes();
      batch.append('\n').append(next.text());
    }
    return batch.toString();
  }
}

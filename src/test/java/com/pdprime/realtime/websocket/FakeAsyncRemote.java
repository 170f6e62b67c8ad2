package com.pdprime.realtime.websocket;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Records sendText(String, SendHandler) calls, which the test completes when it chooses, and pings,
 * as "ping" among the texts, with their payloads' longs in {@link #pingPayloads}.
 */
final class FakeAsyncRemote implements RemoteEndpoint.Async {
  record PendingSend(String text, SendHandler handler) {}

  final List<String> sent = new ArrayList<>();
  final List<Long> pingPayloads = new ArrayList<>();
  private final List<PendingSend> pending = new ArrayList<>();

  /** What the next sendPing throws instead of sending, if set. */
  IOException pingFailure;

  int inFlight() {
    return pending.size();
  }

  /** Completes the oldest in-flight send successfully. */
  void completeOk() {
    pending.remove(0).handler().onResult(new SendResult());
  }

  /** Completes the oldest in-flight send with a failure. */
  void completeFailed(Throwable cause) {
    pending.remove(0).handler().onResult(new SendResult(cause));
  }

  @Override
  public void sendText(String text, SendHandler handler) {
    sent.add(text);
    pending.add(new PendingSend(text, handler));
  }

  @Override
  public long getSendTimeout() {
    return 0;
  }

  @Override
  public void setSendTimeout(long timeout) {}

  @Override
  public Future<Void> sendText(String text) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Future<Void> sendBinary(ByteBuffer data) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void sendBinary(ByteBuffer data, SendHandler handler) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Future<Void> sendObject(Object data) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void sendObject(Object data, SendHandler handler) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setBatchingAllowed(boolean allowed) {}

  @Override
  public boolean getBatchingAllowed() {
    return false;
  }

  @Override
  public void flushBatch() {}

  @Override
  public void sendPing(ByteBuffer data) throws IOException {
    if (pingFailure != null) {
      throw pingFailure;
    }
    sent.add("ping");
    pingPayloads.add(data.getLong());
  }

  @Override
  public void sendPong(ByteBuffer data) {
    throw new UnsupportedOperationException();
  }
}

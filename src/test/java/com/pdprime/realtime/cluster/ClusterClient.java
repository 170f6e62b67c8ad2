package com.pdprime.realtime.cluster;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real WebSocket client (the JDK's) on one instance, speaking {@code pdprime.realtime.v1} the way
 * a browser does (token as a subprotocol entry). It keeps every durable event it receives (those
 * with a {@code seq}), in arrival order and with the time it arrived, splitting newline-batched
 * frames; ephemeral events (presence) are kept apart, and every other frame is a reply.
 */
final class ClusterClient implements AutoCloseable {
  static final String PROTOCOL = "pdprime.realtime.v1";
  static final Duration REPLY_WAIT = Duration.ofSeconds(15);

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * One received event: the frame and when it arrived (ms since the Unix epoch, this machine's
   * clock).
   */
  record Received(JsonObject event, long arrivedAtMillis) {
    long seq() {
      return event.getJsonNumber("seq").longValue();
    }
  }

  final String name;
  final String connectionId;
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  volatile String closeReason;
  private volatile boolean answersClose = true;
  private final WebSocket socket;
  private final List<Received> events = new ArrayList<>();
  private final List<JsonObject> ephemeral = new ArrayList<>();
  private final LinkedBlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
  private final AtomicInteger ids = new AtomicInteger();

  private ClusterClient(String name, URI uri, String token) throws Exception {
    this.name = name;
    socket =
        HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .subprotocols(PROTOCOL, "bearer." + token)
            .buildAsync(uri, new Listener())
            .get(30, TimeUnit.SECONDS);
    JsonObject welcome = reply(f -> "welcome".equals(f.getString("type")));
    connectionId = welcome.getString("connectionId");
  }

  static ClusterClient connect(String name, URI ws, String token) throws Exception {
    return new ClusterClient(name, ws, token);
  }

  /**
   * From now on a close from the server is never answered, as by a client that froze or lost its
   * network: the server's close handshake does not complete.
   */
  void neverAnswerTheClose() {
    answersClose = false;
  }

  /** Subscribes and returns the {@code ok} reply's data; fails on an error reply. */
  JsonObject subscribe(String room) throws InterruptedException {
    return ok(send("subscribe", "\"room\":\"" + room + "\""));
  }

  /**
   * Subscribes resuming after {@code seq} of {@code epoch}; returns the {@code ok} reply's data.
   */
  JsonObject subscribe(String room, String epoch, long seq) throws InterruptedException {
    return ok(
        send(
            "subscribe",
            "\"room\":\""
                + room
                + "\",\"since\":{\"epoch\":\""
                + epoch
                + "\",\"seq\":"
                + seq
                + "}"));
  }

  JsonObject unsubscribe(String room) throws InterruptedException {
    return ok(send("unsubscribe", "\"room\":\"" + room + "\""));
  }

  /** A copy of the ephemeral events (no seq) received so far. */
  List<JsonObject> ephemeralEvents() {
    synchronized (ephemeral) {
      return new ArrayList<>(ephemeral);
    }
  }

  /** A copy of the durable events received so far, in arrival order. */
  List<Received> events() {
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  /** The seq of the last event received in {@code room}, or -1. */
  long lastSeq(String room) {
    synchronized (events) {
      for (int i = events.size() - 1; i >= 0; i--) {
        Received received = events.get(i);
        if (room.equals(received.event().getString("room"))) {
          return received.seq();
        }
      }
      return -1;
    }
  }

  int eventCount() {
    synchronized (events) {
      return events.size();
    }
  }

  /**
   * Waits until an event with {@code seq >= target} of {@code room} arrived; false at the deadline.
   */
  boolean awaitSeq(String room, long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (lastSeq(room) < target) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        events.wait(left);
      }
      return true;
    }
  }

  /** Waits until at least {@code count} durable events arrived; false at the deadline. */
  boolean awaitCount(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (events.size() < count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        events.wait(left);
      }
      return true;
    }
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      try {
        socket.sendClose(1000, "test done").get(2, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the peer may be gone already
      }
    }
    socket.abort();
  }

  @Override
  public String toString() {
    return name + "(" + connectionId + ")";
  }

  private String send(String type, String fields) {
    String id = "c" + ids.incrementAndGet();
    socket
        .sendText("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"," + fields + "}", true)
        .join();
    return id;
  }

  private JsonObject ok(String id) throws InterruptedException {
    JsonObject reply = reply(f -> id.equals(f.getString("replyTo", null)));
    if (!"ok".equals(reply.getString("type"))) {
      throw new AssertionError(name + ": command " + id + " refused: " + reply);
    }
    return reply.getJsonObject("data");
  }

  private JsonObject reply(java.util.function.Predicate<JsonObject> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + REPLY_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject frame = replies.poll(100, TimeUnit.MILLISECONDS);
      if (frame != null && wanted.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError(name + ": no matching reply within " + REPLY_WAIT);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        long now = System.currentTimeMillis();
        String text = partial.toString();
        partial.setLength(0);
        for (String line : text.split("\n")) {
          JsonObject frame;
          try (var reader = Json.createReader(new StringReader(line))) {
            frame = reader.readObject();
          }
          if ("event".equals(frame.getString("type", null)) && !frame.containsKey("seq")) {
            synchronized (ephemeral) {
              ephemeral.add(frame);
            }
          } else if ("event".equals(frame.getString("type", null))) {
            synchronized (events) {
              events.add(new Received(frame, now));
              events.notifyAll();
            }
          } else {
            replies.add(frame);
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason = reason;
      closed.complete(statusCode);
      // The JDK client answers a close once the returned stage completes.
      return answersClose ? null : new CompletableFuture<Void>();
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(1006);
    }
  }
}

package com.pdprime.realtime.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) speaking our protocol: it keeps every JSON object the server
 * sent, splitting batched frames on newlines, and records how the server closed the socket.
 */
final class TestClient implements AutoCloseable {
  static final String PROTOCOL = "pdprime.realtime.v1";
  static final Duration WAIT = Duration.ofSeconds(15);

  final WebSocket socket;
  final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  final List<String> rawFrames = new ArrayList<>();
  private final List<JsonObject> backlog = new ArrayList<>();
  private final List<JsonObject> received = new ArrayList<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  volatile String closeReason;
  private final AtomicInteger ids = new AtomicInteger();
  final JsonObject welcome;

  private volatile boolean reading = true;
  private volatile Duration readPause = Duration.ZERO;
  private final ScheduledExecutorService pongs = Executors.newSingleThreadScheduledExecutor();

  private TestClient(WebSocket.Builder builder, URI uri) throws Exception {
    Listener listener = new Listener();
    socket = builder.buildAsync(uri, listener).get(30, TimeUnit.SECONDS);
    welcome = next(f -> "welcome".equals(f.getString("type")));
  }

  static URI wsUri(URL base) {
    return URI.create(Local.base(base).replaceFirst("^http", "ws") + "ws");
  }

  static WebSocket.Builder builder() {
    return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
  }

  /** Connects the way a browser does: the token travels as a subprotocol entry. */
  static TestClient connect(URL base, String token) throws Exception {
    return new TestClient(builder().subprotocols(PROTOCOL, "bearer." + token), wsUri(base));
  }

  /**
   * Connects as a reverse proxy on 127.0.0.1 would for a client at {@code forwardedFor}: the
   * proxy's {@code X-Forwarded-For} header names the client.
   */
  static TestClient connectForwarded(URL base, String token, String forwardedFor) throws Exception {
    return new TestClient(
        builder().header("X-Forwarded-For", forwardedFor).subprotocols(PROTOCOL, "bearer." + token),
        wsUri(base));
  }

  /** Connects to the operators' socket {@code /ws/admin}, as the admin console does. */
  static TestClient connectAdmin(URL base, String token) throws Exception {
    return new TestClient(
        builder().subprotocols(PROTOCOL, "bearer." + token), URI.create(wsUri(base) + "/admin"));
  }

  /** From now on reads nothing more, like a client on a stalled network. */
  void stopReading() {
    reading = false;
  }

  /** From the next frame on, waits this long after each frame before reading another. */
  void readSlowly(Duration pause) {
    readPause = pause;
  }

  /**
   * Sends an unsolicited pong (RFC 6455 section 5.5.3) every {@code period}: the server hears the
   * client without the client reading anything, so only the outbound limit can close a client that
   * reads too slowly, not the heartbeat.
   */
  void keepAliveWithoutReading(Duration period) {
    pongs.scheduleWithFixedDelay(
        () -> socket.sendPong(ByteBuffer.allocate(0)), 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  String send(String type, String extraJsonFields) {
    String id = "c" + ids.incrementAndGet();
    String extra = extraJsonFields.isEmpty() ? "" : "," + extraJsonFields;
    sendRaw("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"" + extra + "}");
    return id;
  }

  void sendRaw(String text) {
    socket.sendText(text, true).join();
  }

  JsonObject subscribe(String room) throws InterruptedException {
    return reply(send("subscribe", "\"room\":\"" + room + "\""));
  }

  /** Subscribes resuming after {@code seq} of {@code epoch}; returns the reply. */
  JsonObject resume(String room, String epoch, long seq) throws InterruptedException {
    String since = "{\"epoch\":\"" + epoch + "\",\"seq\":" + seq + "}";
    return reply(send("subscribe", "\"room\":\"" + room + "\",\"since\":" + since));
  }

  /**
   * How many connections of {@code subject} the room's presence lists, asked on this connection;
   * empty if the server answered the query with an error (as during a database outage).
   */
  OptionalInt connectionsOf(String room, String subject) throws InterruptedException {
    JsonObject reply = reply(send("presence", "\"room\":\"" + room + "\""));
    if (!"ok".equals(reply.getString("type"))) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(
        reply.getJsonObject("data").getJsonArray("members").stream()
            .map(JsonValue::asJsonObject)
            .filter(member -> subject.equals(member.getString("subject")))
            .mapToInt(member -> member.getInt("connections"))
            .findFirst()
            .orElse(0));
  }

  /** The one reply (ok, pong or error) to the command with this id. */
  JsonObject reply(String id) throws InterruptedException {
    return next(f -> id.equals(f.getString("replyTo", null)));
  }

  /** The reply to the command with this id if it has come, without waiting. */
  Optional<JsonObject> replyIfCome(String id) {
    return received().stream().filter(f -> id.equals(f.getString("replyTo", null))).findFirst();
  }

  /** Every frame received so far, taken or not, in arrival order. */
  List<JsonObject> received() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  /**
   * The oldest frame not yet taken that matches. Frames that do not match stay for later calls: an
   * event may arrive before the reply to the command that caused it.
   */
  JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
    synchronized (backlog) {
      for (var it = backlog.iterator(); it.hasNext(); ) {
        JsonObject frame = it.next();
        if (wanted.test(frame)) {
          it.remove();
          return frame;
        }
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
      if (frame == null) {
        continue;
      }
      if (wanted.test(frame)) {
        return frame;
      }
      synchronized (backlog) {
        backlog.add(frame);
      }
    }
    throw new AssertionError("no matching frame within " + WAIT + "; unmatched: " + backlog);
  }

  /** The next {@code count} durable (numbered) events of the room; ephemeral ones are skipped. */
  List<JsonObject> events(String room, int count) throws InterruptedException {
    List<JsonObject> events = new ArrayList<>();
    while (events.size() < count) {
      events.add(
          next(
              f ->
                  "event".equals(f.getString("type"))
                      && room.equals(f.getString("room"))
                      && f.containsKey("seq")));
    }
    return events;
  }

  int awaitClose() throws Exception {
    return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    pongs.shutdownNow();
    if (!socket.isOutputClosed()) {
      socket.sendClose(1000, "test done");
    }
    socket.abort();
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
        String text = partial.toString();
        partial.setLength(0);
        synchronized (rawFrames) {
          rawFrames.add(text);
        }
        for (String line : text.split("\n")) {
          try (var reader = Json.createReader(new StringReader(line))) {
            JsonObject frame = reader.readObject();
            synchronized (received) {
              received.add(frame);
            }
            frames.add(frame);
          }
        }
      }
      if (reading) {
        Duration pause = readPause;
        if (pause.isZero()) {
          webSocket.request(1);
        } else {
          CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS)
              .execute(() -> webSocket.request(1));
        }
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason = reason;
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeReason = "abnormal: " + error;
      closeCode.complete(1006);
    }
  }
}

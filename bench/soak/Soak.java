import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection soak (issue 12): waves of connections opened, subscribed, used and closed, and
 * the server's live heap after a full GC measured after every wave against the baseline taken
 * after a warm-up wave. JDK only: {@code java bench/soak/Soak.java --port P --server-pid PID}.
 *
 * <p>Each connection is agent {@code soak-w-i}: it subscribes to its own room {@code user:soak-w-i}
 * (a room with presence, so presence rows are written and removed) and to the dashboard room
 * {@code analytics:soak}; while the wave is held the coordinator publishes one event per second
 * into the dashboard room through the REST API and every connection sends a protocol ping every
 * 10 s. Then a third of the connections are dropped without a close frame and the rest close with
 * 1000. The wave ends when the server's {@code realtime_connections_open} gauge is back at 0; then
 * {@code jcmd PID GC.class_histogram} (a full GC first) gives the live heap and the live count of
 * Tyrus sessions, engine connections and Grizzly's TCP connections, at once and again after
 * {@code --settle} seconds (default 30); the settled one is compared with the baseline, which is
 * taken the same way after the warm-up wave. {@code --histograms DIR} keeps every histogram.
 */
public final class Soak {
  private static final String ROOM = "analytics:soak";
  private static final String TYRUS_SESSION = "org.glassfish.tyrus.core.TyrusSession";
  private static final String CONNECTION = "com.pdprime.realtime.websocket.Connection";
  private static final String TCP_CONNECTION = "org.glassfish.grizzly.nio.transport.TCPNIOConnection";
  private static final AtomicLong delivered = new AtomicLong();
  private static final AtomicLong handshakeFailures = new AtomicLong();
  private static final Map<Integer, AtomicLong> serverCloses = new TreeMap<>();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int port = Integer.parseInt(opts.getOrDefault("port", "18080"));
    // production.asadmin serves /metrics only on the operator listener.
    int metricsPort = Integer.parseInt(opts.getOrDefault("metrics-port", Integer.toString(port)));
    long pid = Long.parseLong(opts.get("server-pid"));
    int waves = Integer.parseInt(opts.getOrDefault("waves", "10"));
    int perWave = Integer.parseInt(opts.getOrDefault("conns", "10000"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup-conns", "2000"));
    int rate = Integer.parseInt(opts.getOrDefault("rate", "250"));
    int holdSeconds = Integer.parseInt(opts.getOrDefault("hold", "45"));
    // Where to keep every full histogram (baseline.txt, wave-N.txt), to diff what a wave left live.
    Path histograms = opts.containsKey("histograms") ? Path.of(opts.get("histograms")) : null;
    // Seconds to wait after the last socket closed before the settled measurement: the server
    // finishes some of a mass close afterwards (the connection journal's batch of closes, the
    // container's TCP connections), so a heap taken at once counts work in flight as well.
    int settleSeconds = Integer.parseInt(opts.getOrDefault("settle", "30"));
    Path key =
        Path.of(opts.getOrDefault("key", "server-config/dev/DEVELOPMENT-ONLY-private-key.pem"));
    Tokens tokens = new Tokens(key);
    HttpClient http =
        HttpClient.newBuilder()
            // HTTP/1.1 as a browser's WebSocket and the REST publishers use it; the client's
            // default HTTP/2 upgrade attempt on plain http failed once against Payara's /metrics.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            // Daemon threads: a failure in main ends the run instead of leaving the JVM up.
            .executor(
                Executors.newFixedThreadPool(
                    2,
                    r -> {
                      Thread t = new Thread(r, "soak-client");
                      t.setDaemon(true);
                      return t;
                    }))
            .build();
    Soak soak = new Soak(http, port, metricsPort, tokens, rate);

    long started = System.nanoTime();
    System.out.printf("soak: %d waves of %d connections, %d/s, hold %d s; warm-up wave %d%n",
        waves, perWave, rate, holdSeconds, warmup);
    soak.wave(0, warmup, 5);
    TimeUnit.SECONDS.sleep(settleSeconds);
    Heap baseline = Heap.of(pid, histograms, "baseline");
    System.out.printf("baseline after warm-up and %d s: live heap %.1f MB, %s%n",
        settleSeconds, baseline.mb(), baseline.counts);
    System.out.println("| wave | connections so far | opened | handshake failures | events delivered | live heap MB at once | live heap MB settled | settled vs baseline | TyrusSession | Connection | TCP connections (at once / settled) | elapsed min |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    long total = warmup;
    double worst = 0;
    for (int w = 1; w <= waves; w++) {
      long deliveredBefore = delivered.get();
      long failedBefore = handshakeFailures.get();
      int opened = soak.wave(w, perWave, holdSeconds);
      total += perWave;
      Heap atOnce = Heap.of(pid, histograms, "wave-" + w);
      TimeUnit.SECONDS.sleep(settleSeconds);
      Heap heap = Heap.of(pid, histograms, "wave-" + w + "-settled");
      double pct = 100.0 * (heap.bytes - baseline.bytes) / baseline.bytes;
      worst = Math.max(worst, pct);
      System.out.printf("| %d | %d | %d | %d | %d | %.1f | %.1f | %+.1f %% | %d | %d | %d / %d | %.1f |%n",
          w, total, opened, handshakeFailures.get() - failedBefore, delivered.get() - deliveredBefore,
          atOnce.mb(), heap.mb(), pct, heap.counts.get(TYRUS_SESSION), heap.counts.get(CONNECTION),
          atOnce.counts.get(TCP_CONNECTION), heap.counts.get(TCP_CONNECTION),
          (System.nanoTime() - started) / 60e9);
    }
    synchronized (serverCloses) {
      System.out.println("closes initiated by the server, by code: " + serverCloses);
    }
    System.out.printf("done: %d connections in %.1f min; worst live heap vs baseline %+.1f %%%n",
        total, (System.nanoTime() - started) / 60e9, worst);
    System.exit(0);
  }

  private final HttpClient http;
  private final int port;
  private final int metricsPort;
  private final Tokens tokens;
  private final int rate;

  private Soak(HttpClient http, int port, int metricsPort, Tokens tokens, int rate) {
    this.http = http;
    this.port = port;
    this.metricsPort = metricsPort;
    this.tokens = tokens;
    this.rate = rate;
  }

  /** One wave; returns how many connections were opened and subscribed. */
  private int wave(int wave, int conns, int holdSeconds) throws Exception {
    Semaphore inFlight = new Semaphore(200);
    List<CompletableFuture<Client>> ready = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < conns; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      inFlight.acquire();
      ready.add(open("soak-" + wave + "-" + i).whenComplete((c, e) -> inFlight.release()));
    }
    List<Client> open = new ArrayList<>();
    for (CompletableFuture<Client> f : ready) {
      try {
        open.add(f.get(2, TimeUnit.MINUTES));
      } catch (Exception e) {
        handshakeFailures.incrementAndGet();
      }
    }
    String publisher = tokens.sign("soak-publisher", List.of("realtime:publish"));
    for (int s = 0; s < holdSeconds; s++) {
      publish(publisher, wave, s);
      if (s % 10 == 5) {
        open.forEach(c -> c.socket.sendText("{\"id\":\"p\",\"type\":\"ping\"}", true));
      }
      TimeUnit.SECONDS.sleep(1);
    }
    for (int i = 0; i < open.size(); i++) {
      WebSocket socket = open.get(i).socket;
      if (i % 3 == 0) {
        socket.abort();
      } else {
        socket.sendClose(1000, "soak wave done");
      }
    }
    awaitNoneOpen();
    return open.size();
  }

  private CompletableFuture<Client> open(String subject) {
    Client client = new Client();
    String token;
    try {
      token = tokens.sign(subject, List.of("analytics:read"));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    return http.newWebSocketBuilder()
        .subprotocols("pdprime.realtime.v1", "bearer." + token)
        .connectTimeout(Duration.ofSeconds(60))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
        .thenCompose(ws -> client.replies.get("welcome").thenApply(x -> ws))
        .thenCompose(ws -> ws.sendText(subscribe("u", "user:" + subject), true))
        .thenCompose(ws -> client.replies.get("u").thenApply(x -> ws))
        .thenCompose(ws -> ws.sendText(subscribe("a", ROOM), true))
        .thenCompose(ws -> client.replies.get("a").thenApply(x -> ws))
        .thenApply(ws -> {
          client.socket = ws;
          return client;
        });
  }

  private static String subscribe(String id, String room) {
    return "{\"id\":\"" + id + "\",\"type\":\"subscribe\",\"room\":\"" + room + "\"}";
  }

  private void publish(String token, int wave, int second) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/rooms/" + ROOM + "/events"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"name\":\"soak.tick\",\"data\":{\"wave\":" + wave + ",\"s\":" + second + "}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201) {
      System.out.println("publish answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  private void awaitNoneOpen() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    String gauge = "";
    while (System.nanoTime() < deadline) {
      gauge = http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body().lines().filter(l -> l.startsWith("realtime_connections_open")).findFirst().orElse("");
      if (gauge.endsWith(" 0") || gauge.endsWith(" 0.0")) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new IllegalStateException("connections still open after 5 minutes: " + gauge);
  }

  /** The server's live heap (bytes) after the full GC that GC.class_histogram runs first. */
  record Heap(long bytes, Map<String, Long> counts) {
    static Heap of(long pid, Path keepIn, String name) throws IOException, InterruptedException {
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
          .redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor();
      if (keepIn != null) {
        Files.createDirectories(keepIn);
        Files.writeString(keepIn.resolve(name + ".txt"), out);
      }
      long total = -1;
      Map<String, Long> counts = new TreeMap<>();
      counts.put(TYRUS_SESSION, 0L);
      counts.put(CONNECTION, 0L);
      counts.put(TCP_CONNECTION, 0L);
      for (String line : out.split("\n")) {
        String[] c = line.trim().split("\\s+");
        if (c.length >= 3 && c[0].equals("Total")) {
          total = Long.parseLong(c[2]);
        } else if (c.length >= 4 && counts.containsKey(c[3])) {
          counts.put(c[3], Long.parseLong(c[1]));
        }
      }
      if (total < 0) {
        throw new IllegalStateException("jcmd " + pid + " GC.class_histogram: " + out);
      }
      return new Heap(total, counts);
    }

    double mb() {
      return bytes / 1048576.0;
    }
  }

  /** One connection: completes a future per awaited reply (welcome, u, a) and counts events. */
  static final class Client implements WebSocket.Listener {
    final Map<String, CompletableFuture<Void>> replies =
        Map.of("welcome", new CompletableFuture<>(), "u", new CompletableFuture<>(), "a", new CompletableFuture<>());
    volatile WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        for (String line : partial.toString().split("\n")) {
          if (line.startsWith("{\"type\":\"welcome\"")) {
            replies.get("welcome").complete(null);
          } else if (line.contains("\"replyTo\":\"u\"") || line.contains("\"replyTo\":\"a\"")) {
            String id = line.contains("\"replyTo\":\"u\"") ? "u" : "a";
            if (line.startsWith("{\"type\":\"ok\"")) {
              replies.get(id).complete(null);
            } else {
              replies.get(id).completeExceptionally(new IOException(line));
            }
          } else if (line.contains("\"soak.tick\"")) {
            delivered.incrementAndGet();
          }
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      if (code != 1000) {
        synchronized (serverCloses) {
          serverCloses.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
        }
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      replies.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  /** RS256 tokens with the claims of the server's development TokenSigner (as CrossCheck). */
  static final class Tokens {
    private final PrivateKey key;

    Tokens(Path pem) throws Exception {
      String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    String sign(String subject, List<String> groups) throws Exception {
      long now = Instant.now().getEpochSecond();
      String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
      String payload = b64("{\"iss\":\"https://dev.pdprime.local/issuer\",\"aud\":\"pdprime-realtime\",\"sub\":\""
          + subject + "\",\"upn\":\"" + subject + "\",\"name\":\"" + subject + "\",\"groups\":[\""
          + String.join("\",\"", groups) + "\"],\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":"
          + (now + 6 * 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    private static String b64(String json) {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
  }
}

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second, independent load generator for workload a (N connections in one room, R broadcasts/s):
 * Java's own HTTP and WebSocket client, one JVM, nothing shared with the Node generator but the
 * protocol and the DEVELOPMENT-ONLY signing key. It exists to check that run.mjs's numbers are the
 * server's and not the generator's.
 *
 * <pre>
 * java bench/crosscheck/CrossCheck.java --port 18080 --server-pid PID --conns 10000 --phases 1@20,10@20
 * </pre>
 *
 * Latency is publish (System.nanoTime just before the POST; CLOCK_MONOTONIC, like the Node
 * generator's clock) to receipt, for every delivery of the events published after each phase's
 * first 2 seconds; every (connection, seq) is checked for gaps and duplicates.
 */
public final class CrossCheck {
  private static final String ROOM = "analytics:bench";
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Pattern T = Pattern.compile("\"t\":(\\d+)");
  private static final Pattern P = Pattern.compile("\"p\":(\\d+)");

  private static final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
  private static final AtomicLong delivered = new AtomicLong();
  private static final AtomicLong gaps = new AtomicLong();
  private static final AtomicLong dups = new AtomicLong();
  private static final AtomicInteger closed = new AtomicInteger();
  private static final Map<Integer, AtomicInteger> closeCodes = new HashMap<>();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int port = Integer.parseInt(opts.getOrDefault("port", "18080"));
    long serverPid = Long.parseLong(opts.getOrDefault("server-pid", "0"));
    int conns = Integer.parseInt(opts.getOrDefault("conns", "1000"));
    String phases = opts.getOrDefault("phases", "1@20");
    Path key = Path.of(opts.getOrDefault("key", "server-config/dev/DEVELOPMENT-ONLY-private-key.pem"));
    Tokens tokens = new Tokens(key);
    // A small fixed pool runs the listeners, as the Node generator's two workers do.
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(2))
            .build();

    long connectStart = System.nanoTime();
    List<Client> clients = new ArrayList<>();
    Semaphore inflight = new Semaphore(200);
    List<CompletableFuture<?>> ready = new ArrayList<>();
    for (int i = 0; i < conns; i++) {
      inflight.acquire();
      Client client = new Client();
      clients.add(client);
      String token = tokens.sign("xcheck-agent-" + i, List.of("quote:read", "analytics:read"));
      CompletableFuture<?> subscribed =
          http.newWebSocketBuilder()
              .subprotocols("pdprime.realtime.v1", "bearer." + token)
              .connectTimeout(Duration.ofSeconds(30))
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
              .thenCompose(ws -> client.welcomed)
              .thenCompose(ws -> ws.sendText("{\"id\":\"1\",\"type\":\"subscribe\",\"room\":\"" + ROOM + "\"}", true))
              .thenCompose(ws -> client.subscribed)
              .whenComplete((ok, e) -> inflight.release());
      ready.add(subscribed);
    }
    int failed = 0;
    for (CompletableFuture<?> f : ready) {
      try {
        f.get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        failed++;
      }
    }
    System.out.printf(
        "connected and subscribed %d of %d in %.1f s (%d failed)%n",
        conns - failed, conns, (System.nanoTime() - connectStart) / 1e9, failed);

    String publisher = tokens.sign("xcheck-publisher", List.of("realtime:publish"));
    int phaseNo = 0;
    for (String phase : phases.split(",")) {
      phaseNo++;
      int rate = Integer.parseInt(phase.split("@")[0]);
      int seconds = Integer.parseInt(phase.split("@")[1]);
      latencies.clear();
      long deliveredBefore = delivered.get();
      long ownCpu0 = ownCpuNanos();
      long serverCpu0 = serverCpuMillis(serverPid);
      long start = System.nanoTime();
      int published = 0;
      List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
      while (System.nanoTime() - start < seconds * 1_000_000_000L) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * rate) + 1;
        while (published < due) {
          published++;
          boolean measured = System.nanoTime() - start >= 2_000_000_000L;
          long t = System.nanoTime() / 1000;
          String body =
              "{\"name\":\"bench.tick\",\"data\":{\"t\":" + t + ",\"p\":" + (measured ? phaseNo : 0) + "}}";
          posts.add(
              http.sendAsync(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/rooms/" + ROOM + "/events"))
                      .header("Authorization", "Bearer " + publisher)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(1);
      }
      int refused = 0;
      for (var post : posts) {
        if (post.get(60, TimeUnit.SECONDS).statusCode() != 201) {
          refused++;
        }
      }
      long expected = (long) (published - refused) * (conns - failed - closed.get());
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (delivered.get() - deliveredBefore < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      double wall = (System.nanoTime() - start) / 1e9;
      double ownCores = (ownCpuNanos() - ownCpu0) / 1e9 / wall;
      double serverCores = (serverCpuMillis(serverPid) - serverCpu0) / 1e3 / wall;
      long[] all = latencies.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(all);
      System.out.printf(
          "a@%d/s for %d s: published %d (refused %d); deliveries %d of %d expected; measured %d:"
              + " p50 %.1f p95 %.1f p99 %.1f p99.9 %.1f max %.1f ms; gaps %d dups %d closed %d %s;"
              + " cpu server %.2f generator %.2f (cores, publish start to drained)%n",
          rate, seconds, published, refused, delivered.get() - deliveredBefore, expected, all.length,
          pct(all, 50), pct(all, 95), pct(all, 99), pct(all, 99.9), all.length == 0 ? 0 : all[all.length - 1] / 1000.0,
          gaps.get(), dups.get(), closed.get(), closeCodes, serverCores, ownCores);
    }
    System.exit(0);
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of the server process from /proc, in ms (100 ticks/s); 0 without a pid. */
  private static long serverCpuMillis(long pid) throws IOException {
    if (pid == 0) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }

  /** One connection: counts every event, checks its seq, records the latency of measured ones. */
  static final class Client implements WebSocket.Listener {
    final CompletableFuture<WebSocket> welcomed = new CompletableFuture<>();
    final CompletableFuture<WebSocket> subscribed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private long lastSeq = -1;

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        long now = System.nanoTime() / 1000;
        for (String line : partial.toString().split("\n")) {
          handle(ws, line, now);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void handle(WebSocket ws, String line, long now) {
      if (line.startsWith("{\"type\":\"welcome\"")) {
        welcomed.complete(ws);
      } else if (line.startsWith("{\"type\":\"ok\"")) {
        Matcher seq = SEQ.matcher(line);
        lastSeq = seq.find() ? Long.parseLong(seq.group(1)) : 0;
        subscribed.complete(ws);
      } else if (line.startsWith("{\"type\":\"error\"")) {
        subscribed.completeExceptionally(new IOException(line));
      } else if (line.startsWith("{\"type\":\"event\"") && !line.contains("\"ephemeral\":true")) {
        Matcher seq = SEQ.matcher(line);
        Matcher t = T.matcher(line);
        Matcher p = P.matcher(line);
        if (!seq.find() || !t.find() || !p.find()) {
          return;
        }
        long s = Long.parseLong(seq.group(1));
        if (lastSeq >= 0 && s <= lastSeq) {
          dups.incrementAndGet();
          return;
        }
        if (lastSeq >= 0 && s > lastSeq + 1) {
          gaps.addAndGet(s - lastSeq - 1);
        }
        lastSeq = s;
        delivered.incrementAndGet();
        if (Integer.parseInt(p.group(1)) > 0) {
          latencies.add(now - Long.parseLong(t.group(1)));
        }
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.incrementAndGet();
      synchronized (closeCodes) {
        closeCodes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      welcomed.completeExceptionally(error);
      subscribed.completeExceptionally(error);
    }
  }

  /** RS256 tokens with the same claims as lib/jwt.mjs and the server's dev TokenSigner. */
  static final class Tokens {
    private final PrivateKey key;

    Tokens(Path pem) throws Exception {
      String base64 =
          Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    String sign(String subject, List<String> groups) throws Exception {
      long now = System.currentTimeMillis() / 1000;
      String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
      String payload =
          b64(
              "{\"iss\":\"https://dev.pdprime.local/issuer\",\"aud\":\"pdprime-realtime\",\"sub\":\""
                  + subject + "\",\"upn\":\"" + subject + "\",\"name\":\"" + subject + "\",\"groups\":[\""
                  + String.join("\",\"", groups) + "\"],\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":"
                  + (now + 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
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

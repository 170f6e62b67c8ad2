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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second, independent load generator for workloads a and b against PD Prime: Java's own HTTP and
 * WebSocket client, one JVM, a regex instead of a JSON parser, nothing shared with the Node
 * generator (run.mjs) but the protocol, the rooms and the DEVELOPMENT-ONLY signing key. It exists
 * to check that run.mjs's numbers are the server's and not the generator's.
 *
 * <pre>
 * java bench/crosscheck/CrossCheck.java --port 18080 --server-pid PID --conns 10000 --phases 1@20,10@20
 * java bench/crosscheck/CrossCheck.java --port 18080 --server-pid PID --conns 10000 --layout b --phases 300@90,1000@60
 * java bench/crosscheck/CrossCheck.java --self-check
 * </pre>
 *
 * Layout a: every connection subscribes to the dashboard room analytics:bench. Layout b: connection
 * i subscribes to group room i / group-size, a quote room created for the run (1,000 rooms of 10
 * for 10,000 connections), as run.mjs does. A phase R@S publishes R events/s for S s through
 * {@code POST /api/v1/rooms/{room}/events}, round-robin over the layout's rooms, on an open-loop
 * schedule: publish i is intended at the phase's start + i/R and carries that time, and every
 * delivery's latency runs from it (System.nanoTime: CLOCK_MONOTONIC, the Node generator's clock
 * too). A publish sent late, because this loop was late or because every in-flight slot was
 * taken, keeps its intended time, so its wait is in its latency (no coordinated omission). Every
 * (connection, room) checks seq for gaps and duplicates.
 */
public final class CrossCheck {
  private static final String SHARED_ROOM = "analytics:bench";
  /** Publishes still unsent this long after a phase's end are abandoned (run.mjs's drain timeout). */
  private static final long LATE_LIMIT_NANOS = 60_000_000_000L;
  /** After publishing, deliveries are awaited at most this long, and until none arrived for 5 s. */
  private static final long DRAIN_LIMIT_NANOS = 60_000_000_000L;
  private static final long DRAIN_QUIET_NANOS = 5_000_000_000L;

  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Pattern EPOCH = Pattern.compile("\"epoch\":\"([^\"]*)\"");
  private static final Pattern ROOM = Pattern.compile("\"room\":\"([^\"]*)\"");
  private static final Pattern T = Pattern.compile("\"t\":(\\d+)");
  private static final Pattern P = Pattern.compile("\"p\":(\\d+)");
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

  /** Phases by number, which every published event carries as data.p: a late delivery counts for its own phase. */
  private static final Map<Integer, Phase> PHASES = new ConcurrentHashMap<>();
  // Totals over the whole run, summed over every connection; each phase reports its share.
  private static final AtomicLong GAPS = new AtomicLong();
  private static final AtomicLong DUPS = new AtomicLong();
  /** Durable events of a room or epoch the connection did not subscribe to: should stay 0. */
  private static final AtomicLong FOREIGN = new AtomicLong();
  private static final AtomicLong FRAMES = new AtomicLong();
  private static final AtomicLong EPHEMERAL = new AtomicLong();
  private static final Map<Integer, AtomicLong> CLOSES = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--self-check")) {
      selfCheck();
      return;
    }
    Options opt = Options.parse(args);
    Tokens tokens = new Tokens(opt.key());
    HttpClient http =
        HttpClient.newBuilder()
            // HTTP/1.1 keep-alive, as the Node generator's agent; the JDK's default would offer an
            // h2c upgrade on plain http.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            // A small fixed pool runs the listeners, as the Node generator's two workers do.
            .executor(Executors.newFixedThreadPool(2))
            .build();
    String base = "http://127.0.0.1:" + opt.port();

    List<String> rooms =
        opt.layout().equals("a")
            ? List.of(SHARED_ROOM)
            : createGroupRooms(http, base, tokens, (opt.conns() + opt.groupSize() - 1) / opt.groupSize());
    // Workload a is one group of all N connections.
    int perRoom = opt.layout().equals("a") ? opt.conns() : opt.groupSize();
    Map<String, Integer> subscribers = connect(http, opt, tokens, rooms, perRoom);
    settle();

    Publisher publisher =
        new Publisher(http, base, tokens.sign("xcheck-publisher", List.of("realtime:publish")), rooms, subscribers, opt.publishInflight());
    int number = 0;
    for (String spec : opt.phases().split(",")) {
      String[] rateAtSeconds = spec.split("@");
      runPhase(
          ++number, opt.layout(), Integer.parseInt(rateAtSeconds[0]), Integer.parseInt(rateAtSeconds[1]),
          rooms.size(), publisher, opt.serverPid());
    }
    // The WebSockets are still open; nothing else is left to wait for.
    System.exit(0);
  }

  /**
   * The group rooms of layout b, as run.mjs makes them: one quote per group ({@code POST
   * /api/v1/quotes} with a quote:write token), room {@code quote:<id>}, a collaboration-sized room
   * with presence that any holder of quote:read may subscribe to.
   */
  private static List<String> createGroupRooms(HttpClient http, String base, Tokens tokens, int groups) throws Exception {
    String writer = tokens.sign("xcheck-writer", List.of("quote:write"));
    Semaphore concurrent = new Semaphore(16);
    List<CompletableFuture<String>> created = new ArrayList<>();
    for (int k = 0; k < groups; k++) {
      concurrent.acquire();
      String body = "{\"customerSubject\":\"xcheck-customer-" + k + "\",\"customerName\":\"Customer " + k + "\"}";
      created.add(
          http.sendAsync(post(URI.create(base + "/api/v1/quotes"), writer, body), HttpResponse.BodyHandlers.ofString())
              .whenComplete((response, error) -> concurrent.release())
              .thenApply(CrossCheck::quoteRoom));
    }
    List<String> rooms = new ArrayList<>();
    for (CompletableFuture<String> room : created) {
      rooms.add(room.get(60, TimeUnit.SECONDS));
    }
    System.out.printf("created %d quote rooms%n", rooms.size());
    return rooms;
  }

  private static String quoteRoom(HttpResponse<String> response) {
    Matcher id = ID.matcher(response.body());
    if (response.statusCode() != 201 || !id.find()) {
      throw new IllegalStateException("quote create: " + response.statusCode() + " " + response.body());
    }
    return "quote:" + id.group(1);
  }

  /**
   * Opens the connections (at most 200 handshakes at once), each a distinct agent whose token holds
   * quote:read and analytics:read, and subscribes connection i to room i / perRoom. Answers how
   * many connections each room has: every publish into a room expects that many deliveries.
   */
  private static Map<String, Integer> connect(HttpClient http, Options opt, Tokens tokens, List<String> rooms, int perRoom)
      throws Exception {
    long start = System.nanoTime();
    Semaphore handshakes = new Semaphore(200);
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < opt.conns(); i++) {
      handshakes.acquire();
      Client client = new Client(rooms.get(i / perRoom));
      clients.add(client);
      String token = tokens.sign("xcheck-agent-" + i, List.of("quote:read", "analytics:read"));
      http.newWebSocketBuilder()
          .subprotocols("pdprime.realtime.v1", "bearer." + token)
          .connectTimeout(Duration.ofSeconds(30))
          .buildAsync(URI.create("ws://127.0.0.1:" + opt.port() + "/ws"), client)
          .thenCompose(ws -> client.welcomed)
          .thenCompose(ws -> ws.sendText("{\"id\":\"1\",\"type\":\"subscribe\",\"room\":\"" + client.room + "\"}", true))
          .thenCompose(ws -> client.subscribed)
          // A connection that never gets its welcome or subscribe answer must not hold a slot forever.
          .orTimeout(60, TimeUnit.SECONDS)
          .whenComplete((ws, error) -> handshakes.release());
    }
    Map<String, Integer> subscribers = new HashMap<>();
    int failed = 0;
    for (Client client : clients) {
      try {
        client.subscribed.get(120, TimeUnit.SECONDS);
        subscribers.merge(client.room, 1, Integer::sum);
      } catch (Exception e) {
        failed++;
      }
    }
    System.out.printf(
        "connected and subscribed %d of %d in %.1f s (%d failed), %d room(s)%n",
        opt.conns() - failed, opt.conns(), (System.nanoTime() - start) / 1e9, failed, rooms.size());
    return subscribers;
  }

  /**
   * Waits until no frame has arrived for 2 s (at most 300 s), as run.mjs does: every subscribe to a
   * quote room announces a presence.join to the room's members (about 100,000 ephemeral events for
   * 10,000 connections in rooms of 10), and no latency should be measured behind them.
   */
  private static void settle() throws InterruptedException {
    long start = System.nanoTime();
    long frames = -1;
    long quietSince = start;
    while (System.nanoTime() - quietSince < 2_000_000_000L && System.nanoTime() - start < 300_000_000_000L) {
      if (FRAMES.get() != frames) {
        frames = FRAMES.get();
        quietSince = System.nanoTime();
      }
      Thread.sleep(100);
    }
    System.out.printf(
        "settled: no frame for 2 s after %.1f s; %d ephemeral events received%n",
        (quietSince - start) / 1e9, EPHEMERAL.get());
  }

  /** One phase: publish on the schedule, wait for the answers and the deliveries, print one line. */
  private static void runPhase(int number, String layout, int rate, int seconds, int rooms, Publisher publisher, long serverPid)
      throws Exception {
    long gaps0 = GAPS.get();
    long dups0 = DUPS.get();
    long foreign0 = FOREIGN.get();
    long ownCpu0 = ownCpuNanos();
    long serverCpu0 = serverCpuMillis(serverPid);
    Phase phase = new Phase(number, rate, seconds, System.nanoTime());
    PHASES.put(number, phase);
    publisher.run(phase);
    publisher.awaitAnswers();
    drain(phase);
    double wall = (System.nanoTime() - phase.start) / 1e9;
    long[] latencies = phase.latencyMicros.sorted();
    System.out.printf(
        "phase %d %s@%d/s for %d s into %d room(s): offered %d/s, achieved %.1f/s (published %d, refused %s,"
            + " abandoned %d); max due not sent %d; deliveries %d of %d expected, lost %d; from intended: p50 %.1f"
            + " p99 %.1f p99.9 %.1f max %.1f ms; seq gaps %d dups %d foreign %d; closed %s;"
            + " cpu server %.2f generator %.2f (cores, publish start to drained)%n",
        number, layout, rate, seconds, rooms, rate, phase.acceptedInWindow.get() / (double) seconds,
        phase.accepted.get(), new TreeMap<>(phase.refused), phase.abandoned, phase.maxNotSent,
        phase.received.get(), phase.expected.get(), phase.expected.get() - phase.received.get(),
        pct(latencies, 50), pct(latencies, 99), pct(latencies, 99.9), pct(latencies, 100),
        GAPS.get() - gaps0, DUPS.get() - dups0, FOREIGN.get() - foreign0, new TreeMap<>(CLOSES),
        (serverCpuMillis(serverPid) - serverCpu0) / 1e3 / wall, (ownCpuNanos() - ownCpu0) / 1e9 / wall);
  }

  /** Waits until every expected delivery arrived, or none arrived for 5 s, or 60 s passed. */
  private static void drain(Phase phase) throws InterruptedException {
    long start = System.nanoTime();
    long received = -1;
    long lastMove = start;
    while (phase.received.get() < phase.expected.get()
        && System.nanoTime() - start < DRAIN_LIMIT_NANOS
        && System.nanoTime() - lastMove < DRAIN_QUIET_NANOS) {
      if (phase.received.get() != received) {
        received = phase.received.get();
        lastMove = System.nanoTime();
      }
      Thread.sleep(50);
    }
  }

  private static HttpRequest post(URI uri, String token, String body) {
    return HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        // Long: a publish the server accepts late still fans out and must be counted as expected.
        .timeout(Duration.ofSeconds(300))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
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

  /** Nearest-rank percentile of µs values, in ms; p 100 is the maximum. */
  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }

  /**
   * Offline check of what a run against a server cannot show to be right: the schedule's
   * arithmetic, and that the seq check counts a gap, a duplicate, an out-of-order event and an
   * event of another room or epoch, and times deliveries from the intended time.
   */
  private static void selfCheck() {
    Phase phase = new Phase(1, 1000, 2, 0);
    check(phase.intendedNanos(0) == 0 && phase.intendedNanos(1) == 1_000_000 && phase.intendedNanos(1999) == 1_999_000_000L,
        "publish i is intended at start + i/rate");
    check(phase.dueAt(-1) == 0 && phase.dueAt(0) == 1 && phase.dueAt(999_999) == 1 && phase.dueAt(1_000_000) == 2
            && phase.dueAt(100_000_000_000L) == 2000,
        "due = publishes whose intended time has come, at most rate x seconds");
    PHASES.put(1, phase);
    Client client = new Client("quote:q");
    long now = 5_000;
    client.handle(null, "{\"type\":\"ok\",\"replyTo\":\"1\",\"data\":{\"room\":\"quote:q\",\"epoch\":\"E\",\"seq\":5}}", now);
    for (long seq : new long[] {6, 8, 8, 7, 9}) {
      client.handle(null, event("quote:q", "E", seq), now);
    }
    client.handle(null, event("quote:other", "E", 10), now);
    client.handle(null, event("quote:q", "F", 10), now);
    client.handle(null, "{\"type\":\"event\",\"room\":\"quote:q\",\"name\":\"presence.join\",\"ephemeral\":true,\"ts\":1,\"data\":{}}", now);
    check(GAPS.get() == 1, "seq 6 then 8: one gap (7), got " + GAPS.get());
    check(DUPS.get() == 2, "8 again and then 7: two duplicates or out of order, got " + DUPS.get());
    check(FOREIGN.get() == 2, "another room's and another epoch's event: two foreign, got " + FOREIGN.get());
    check(EPHEMERAL.get() == 1, "the ephemeral event counted apart, got " + EPHEMERAL.get());
    check(phase.received.get() == 3, "6, 8 and 9 delivered, got " + phase.received.get());
    check(Arrays.equals(phase.latencyMicros.sorted(), new long[] {4_000, 4_000, 4_000}), "latency = receipt - intended t");
    System.out.println("self-check passed: schedule arithmetic; seq gaps, duplicates, foreign and ephemeral events; latency from t");
  }

  private static String event(String room, String epoch, long seq) {
    return "{\"type\":\"event\",\"room\":\"" + room + "\",\"name\":\"bench.tick\",\"epoch\":\"" + epoch + "\",\"seq\":" + seq
        + ",\"ts\":1,\"data\":{\"t\":1000,\"p\":1}}";
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.out.println("self-check FAILED: " + what);
      System.exit(1);
    }
  }

  /** Command-line options; --name value pairs, defaults as below. */
  record Options(int port, long serverPid, int conns, String layout, int groupSize, String phases, Path key, int publishInflight) {
    static Options parse(String[] args) {
      Map<String, String> o =
          new HashMap<>(
              Map.of(
                  "port", "18080",
                  "server-pid", "0", // for the server's CPU; 0: not measured
                  "conns", "1000",
                  "layout", "a", // a: every connection in analytics:bench; b: groups of --group-size in quote rooms
                  "group-size", "10",
                  "phases", "1@20", // R@S,...: R publishes/s for S s each
                  "key", "server-config/dev/DEVELOPMENT-ONLY-private-key.pem",
                  // POSTs unanswered at once (the JDK client opens one HTTP/1.1 connection for each);
                  // a publish waiting for one keeps its intended time.
                  "publish-inflight", "64"));
      for (int i = 0; i < args.length; i += 2) {
        String name = args[i].replaceFirst("^--", "");
        if (!o.containsKey(name) || i + 1 == args.length) {
          throw new IllegalArgumentException("unknown option or no value: " + args[i] + "; options: " + o.keySet());
        }
        o.put(name, args[i + 1]);
      }
      if (!o.get("layout").matches("[ab]")) {
        throw new IllegalArgumentException("--layout must be a or b");
      }
      return new Options(
          Integer.parseInt(o.get("port")), Long.parseLong(o.get("server-pid")), Integer.parseInt(o.get("conns")),
          o.get("layout"), Integer.parseInt(o.get("group-size")), o.get("phases"), Path.of(o.get("key")),
          Integer.parseInt(o.get("publish-inflight")));
    }
  }

  /** One publishing phase: its schedule, and what its publishes and deliveries came to. */
  static final class Phase {
    final int number;
    final int rate;
    final int seconds;
    /** System.nanoTime when publishing began: publish i is intended at start + i/rate. */
    final long start;
    final long total;
    // Written by the publishing thread only.
    long maxNotSent;
    long abandoned;
    // Written from the HTTP client's and the listeners' threads.
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong acceptedInWindow = new AtomicLong();
    final AtomicLong expected = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    final Samples latencyMicros = new Samples();

    Phase(int number, int rate, int seconds, long start) {
      this.number = number;
      this.rate = rate;
      this.seconds = seconds;
      this.start = start;
      this.total = (long) rate * seconds;
    }

    long intendedNanos(long i) {
      return start + Math.round(i * 1e9 / rate);
    }

    /** How many publishes are due at {@code now}: those whose intended time has come. */
    long dueAt(long now) {
      return now < start ? 0 : Math.min(total, (now - start) * rate / 1_000_000_000L + 1);
    }

    long windowEnd() {
      return start + seconds * 1_000_000_000L;
    }

    /** A 201: the event was stored and fans out to the room's connections. */
    void accepted(int receivers, long answeredAt) {
      accepted.incrementAndGet();
      expected.addAndGet(receivers);
      // Achieved rate: publishes answered within the phase's window, as run.mjs counts them.
      if (answeredAt < windowEnd()) {
        acceptedInWindow.incrementAndGet();
      }
    }

    void refused(String why) {
      refused.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
    }

    void delivered(long latencyMicros) {
      received.incrementAndGet();
      this.latencyMicros.add(latencyMicros);
    }
  }

  /** Open-loop publisher: the schedule decides when a publish is due, never the answers. */
  static final class Publisher {
    private final HttpClient http;
    private final String token;
    private final List<String> rooms;
    private final List<URI> eventUris = new ArrayList<>();
    private final Map<String, Integer> subscribers;
    private final int inflight;
    private final Semaphore slots;

    Publisher(HttpClient http, String base, String token, List<String> rooms, Map<String, Integer> subscribers, int inflight) {
      this.http = http;
      this.token = token;
      this.rooms = rooms;
      this.subscribers = subscribers;
      this.inflight = inflight;
      this.slots = new Semaphore(inflight);
      for (String room : rooms) {
        eventUris.add(URI.create(base + "/api/v1/rooms/" + room + "/events"));
      }
    }

    /**
     * Sends every publish of the phase once it is due, round-robin over the rooms. Due publishes
     * that find every slot taken wait for one (1 ms at a time, so the backlog is sampled) and are
     * then sent with their intended time; those still unsent 60 s after the phase's end are
     * abandoned.
     */
    void run(Phase phase) throws InterruptedException {
      long sent = 0;
      while (sent < phase.total) {
        long now = System.nanoTime();
        if (now - phase.windowEnd() > LATE_LIMIT_NANOS) {
          phase.abandoned = phase.total - sent;
          return;
        }
        long due = phase.dueAt(now);
        while (sent < due && slots.tryAcquire(1, TimeUnit.MILLISECONDS)) {
          send(phase, sent++);
        }
        phase.maxNotSent = Math.max(phase.maxNotSent, due - sent);
        if (sent == due && sent < phase.total) {
          LockSupport.parkNanos(phase.intendedNanos(sent) - System.nanoTime());
        }
      }
    }

    private void send(Phase phase, long i) {
      int r = (int) (i % rooms.size());
      String body = "{\"name\":\"bench.tick\",\"data\":{\"t\":" + phase.intendedNanos(i) / 1000 + ",\"p\":" + phase.number + "}}";
      http.sendAsync(post(eventUris.get(r), token, body), HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, error) -> {
                if (error != null) {
                  phase.refused(error.getClass().getSimpleName());
                } else if (response.statusCode() != 201) {
                  phase.refused(String.valueOf(response.statusCode()));
                } else {
                  phase.accepted(subscribers.getOrDefault(rooms.get(r), 0), System.nanoTime());
                }
                slots.release();
              });
    }

    /** Returns once every POST sent has been answered or has failed (each times out after 300 s). */
    void awaitAnswers() throws InterruptedException {
      if (!slots.tryAcquire(inflight, 310, TimeUnit.SECONDS)) {
        throw new IllegalStateException("publishes still unanswered after 310 s");
      }
      slots.release(inflight);
    }
  }

  /** Latencies in µs, every one kept for exact percentiles; appended from the listener threads. */
  static final class Samples {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  /**
   * One connection, subscribed to one room: checks the seq of every durable event of that room and
   * epoch against the last one (from the subscribe answer on), and times each delivery from the
   * intended time its publish carries.
   */
  static final class Client implements WebSocket.Listener {
    final String room;
    final CompletableFuture<WebSocket> welcomed = new CompletableFuture<>();
    final CompletableFuture<WebSocket> subscribed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private String epoch;
    private long lastSeq;

    Client(String room) {
      this.room = room;
    }

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        long now = System.nanoTime() / 1000;
        FRAMES.incrementAndGet();
        // The server may batch several messages into one frame, one per line.
        for (String line : partial.toString().split("\n")) {
          handle(ws, line, now);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    /** One message received at {@code nowMicros}. */
    void handle(WebSocket ws, String line, long nowMicros) {
      if (line.startsWith("{\"type\":\"welcome\"")) {
        welcomed.complete(ws);
      } else if (line.startsWith("{\"type\":\"ok\"")) {
        subscribedAt(ws, line);
      } else if (line.startsWith("{\"type\":\"error\"")) {
        subscribed.completeExceptionally(new IOException(line));
      } else if (line.startsWith("{\"type\":\"event\"")) {
        if (line.contains("\"ephemeral\":true")) {
          // Not sequenced (presence.join and the like): counted, not checked.
          EPHEMERAL.incrementAndGet();
        } else {
          durableEvent(line, nowMicros);
        }
      }
    }

    /** The subscribe answer: the room's epoch and current seq, from which the events must follow. */
    private void subscribedAt(WebSocket ws, String line) {
      Matcher epochMatch = EPOCH.matcher(line);
      Matcher seq = SEQ.matcher(line);
      if (!epochMatch.find() || !seq.find()) {
        subscribed.completeExceptionally(new IOException("no epoch or seq in " + line));
        return;
      }
      epoch = epochMatch.group(1);
      lastSeq = Long.parseLong(seq.group(1));
      subscribed.complete(ws);
    }

    private void durableEvent(String line, long nowMicros) {
      Matcher roomMatch = ROOM.matcher(line);
      Matcher epochMatch = EPOCH.matcher(line);
      Matcher seq = SEQ.matcher(line);
      Matcher t = T.matcher(line);
      Matcher p = P.matcher(line);
      if (!roomMatch.find() || !epochMatch.find() || !seq.find() || !t.find() || !p.find()
          || !roomMatch.group(1).equals(room) || !epochMatch.group(1).equals(epoch)) {
        FOREIGN.incrementAndGet();
        return;
      }
      long s = Long.parseLong(seq.group(1));
      if (s <= lastSeq) {
        DUPS.incrementAndGet();
        return;
      }
      if (s > lastSeq + 1) {
        GAPS.addAndGet(s - lastSeq - 1);
      }
      lastSeq = s;
      Phase phase = PHASES.get(Integer.parseInt(p.group(1)));
      if (phase != null) {
        phase.delivered(nowMicros - Long.parseLong(t.group(1)));
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      CLOSES.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
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

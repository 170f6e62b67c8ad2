package com.pdprime.realtime.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real cluster on this machine: one external ActiveMQ broker ({@link TestBroker}, its own JVM)
 * and several Payara Micro processes running the built WAR against one PostgreSQL database, each
 * with its own {@code realtime.instance.id} and HTTP port, configured by the committed template
 * {@code server-config/payara/production.asadmin} through environment variables.
 *
 * <p>Every process's output goes to {@code target/cluster-logs/}. {@link #close()} kills everything
 * that is still running (a JVM shutdown hook does too, should the test JVM be stopped).
 */
final class ClusterHarness implements AutoCloseable {
  static final String DATABASE = "realtime_cluster";

  /**
   * An upper bound only: an instance is used as soon as it answers. 150 s was not enough while a
   * soak test and three other builds shared the machine's two cores (load average 30).
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(360);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  final Path basedir = Path.of(System.getProperty("realtime.it.basedir", ".")).toAbsolutePath();
  final Path serverDir = Path.of(System.getProperty("realtime.it.server.dir")).toAbsolutePath();
  final Path configDir = Path.of(System.getProperty("realtime.it.config.dir")).toAbsolutePath();
  final Path war = Path.of(System.getProperty("realtime.it.war")).toAbsolutePath();
  final Path logs = basedir.resolve("target/cluster-logs");
  final Path work = basedir.resolve("target/cluster");
  final String postgresUrl =
      System.getProperty("realtime.it.postgres.url", "jdbc:postgresql://127.0.0.1:5432/");

  final Broker broker = new Broker(freePort());
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<Process> started = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::killAll, "cluster-harness-shutdown");
  private int launches;

  private ClusterHarness() throws IOException {
    deleteTree(logs); // only this run's logs
    Files.createDirectories(logs);
    deleteTree(work);
    Files.createDirectories(work);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Creates the database afresh, starts the broker and {@code count} instances, and waits until all
   * answer.
   */
  static ClusterHarness start(int count) throws Exception {
    ClusterHarness cluster = new ClusterHarness();
    try {
      cluster.createDatabase();
      cluster.writeSharedProperties();
      cluster.broker.start();
      for (int i = 1; i <= count; i++) {
        Node node = cluster.new Node("node-" + i, freePort());
        cluster.nodes.put(node.id, node);
      }
      // The first instance migrates the fresh database alone; the others start once the schema
      // exists. Started together on an empty database, Liquibase 4.29 races: it creates its
      // databasechangelog table before it takes its lock, and the loser fails ("relation
      // databasechangelog already exists"), leaving Payara Micro running without the application.
      List<Node> all = List.copyOf(cluster.nodes.values());
      all.get(0).launch();
      all.get(0).awaitSchema();
      for (Node node : all.subList(1, all.size())) {
        node.launch();
      }
      for (Node node : all) {
        node.awaitReady();
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  Node node(String id) {
    return nodes.get(id);
  }

  /**
   * A JDBC connection to the cluster's database, for checks the tests make behind the servers'
   * backs.
   */
  Connection database() throws SQLException {
    return DriverManager.getConnection(postgresUrl + DATABASE, "postgres", "");
  }

  private void createDatabase() throws SQLException {
    try (Connection admin = DriverManager.getConnection(postgresUrl + "postgres", "postgres", "");
        Statement sql = admin.createStatement()) {
      sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      sql.execute("CREATE DATABASE " + DATABASE);
    }
  }

  /**
   * The instances' application settings, as a production deployment sets them (docs/operations.md):
   * outside development mode, trusting the cluster's identity-provider key ({@link ClusterKey}),
   * whose public half is written next to them. Not {@code realtime.instance.id}: a {@code
   * --systemProperties} file overrides {@code -D} options, so the id comes from the command line
   * alone. Plus the notification settings the multi-instance release test needs.
   */
  private void writeSharedProperties() throws IOException {
    Path publicKey = work.resolve("identity-provider-public-key.pem");
    Files.writeString(publicKey, ClusterKey.publicPem());
    List<String> lines = new ArrayList<>();
    lines.add("realtime.dev.mode=false");
    lines.add("mp.jwt.verify.publickey.location=" + publicKey.toAbsolutePath());
    lines.add("mp.jwt.verify.issuer=" + ClusterApi.ISSUER);
    lines.add("mp.jwt.verify.audiences=" + ClusterApi.AUDIENCE);
    lines.add("realtime.handshake.allowed-origins=http://localhost:8080,http://127.0.0.1:8080");
    lines.add("jakarta.json.provider=org.eclipse.parsson.JsonProviderImpl");
    // Test-only: ClusterIT sets both instances' notification clocks to 03:00 and then to a window's
    // opening, and their release jobs run every 200 ms so both race for the same held rows.
    lines.add("realtime.notifications.clock-for-test=true");
    lines.add("realtime.notifications.release.period-ms=200");
    Files.write(work.resolve("cluster.properties"), lines);
  }

  /** Kills every process still running and removes the instances' temporary directories. */
  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
    try {
      deleteTree(work.resolve("tmp"));
    } catch (IOException e) {
      System.err.println("cluster: temporary files left in " + work.resolve("tmp") + ": " + e);
    }
  }

  private synchronized void killAll() {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    for (Process process : started) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private record Launched(Process process, Path log) {}

  private synchronized Launched launch(String name, ProcessBuilder builder) throws IOException {
    launches++;
    Path log = logs.resolve(String.format("%02d-%s.log", launches, name));
    Files.writeString(log, "# " + Instant.now() + " " + String.join(" ", builder.command()) + "\n");
    builder
        .directory(basedir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    started.add(process);
    return new Launched(process, log);
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls {@code condition} every {@code step} until it holds; false if the deadline passed first.
   */
  static boolean poll(Duration timeout, Duration step, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(step.toMillis());
    }
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * The external broker: a JVM of its own so the test can stop it and start it again on the same
   * port.
   */
  final class Broker {
    final int port;

    /** production.asadmin serves /metrics and /health here, never on the public port. */
    final int operatorPort = freePort();

    private Process process;
    private Path log;

    Broker(int port) {
      this.port = port;
    }

    String url() {
      return "tcp://127.0.0.1:" + port;
    }

    synchronized void start() throws Exception {
      if (process != null && process.isAlive()) {
        throw new IllegalStateException("broker already running");
      }
      ProcessBuilder builder =
          new ProcessBuilder(
              javaCommand(),
              "-Xmx256m",
              "-cp",
              testClassPath(),
              TestBroker.class.getName(),
              Integer.toString(port));
      Launched launched = launch("broker", builder);
      process = launched.process();
      log = launched.log();
      Process current = process;
      boolean ready =
          poll(
              Duration.ofSeconds(30),
              Duration.ofMillis(50),
              () -> !current.isAlive() || readsLine(log, TestBroker.READY));
      if (!ready || !current.isAlive()) {
        throw new IllegalStateException(
            "broker did not start on " + url() + " (log " + log + "):\n" + tail(log, 30));
      }
    }

    /**
     * Stops the broker the way an operator or an orchestrator would (SIGTERM), and waits until it
     * is gone.
     */
    synchronized void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }

    private String testClassPath() {
      // Surefire/failsafe give the forked JVM its real test class path in java.class.path.
      return System.getProperty("java.class.path");
    }
  }

  /** The log's SEVERE lines and causes (at most 40 lines), or its tail when it has none. */
  static String problems(Path log) {
    try {
      List<String> lines =
          Files.readAllLines(log).stream()
              .filter(
                  l ->
                      l.contains("SEVERE") || l.startsWith("Caused by") || l.contains("Exception:"))
              .limit(40)
              .toList();
      return lines.isEmpty() ? tail(log, 40) : String.join("\n", lines);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static boolean readsLine(Path log, String prefix) {
    try {
      return Files.readString(log).contains(prefix);
    } catch (IOException e) {
      return false;
    }
  }

  /** One Payara Micro process running the WAR as instance {@link #id}. */
  final class Node {
    final String id;
    final int port;

    /** production.asadmin serves /metrics and /health here, never on the public port. */
    final int operatorPort = freePort();

    private Process process;
    private Path log;
    private long launchedAt;

    Node(String id, int port) {
      this.id = id;
      this.port = port;
    }

    URI http(String path) {
      return URI.create("http://127.0.0.1:" + port + "/" + path);
    }

    URI operator(String path) {
      return URI.create("http://127.0.0.1:" + operatorPort + "/" + path);
    }

    URI ws() {
      return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    Path log() {
      return log;
    }

    /**
     * The container's threads (HTTP workers, async dispatches, EJB and JMS threads) that are in PD
     * Prime's code now, and the publish committer, a line each (name, state, the first of our
     * frames), from a thread dump written beside the log: what a test that waited in vain for an
     * answer names in its failure. Our other threads wait for work and say nothing.
     */
    String threadsInOurCode() throws IOException, InterruptedException {
      Path dump = logs.resolve(id + "-threads-" + System.currentTimeMillis() + ".txt");
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(process.pid()),
                  "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(dump.toFile())
              .start();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
        return id + ": no thread dump within 30 s";
      }
      List<String> ours = new ArrayList<>();
      for (String thread : Files.readString(dump).split("\n\s*\n")) {
        Optional<String> frame =
            thread.lines().filter(l -> l.contains("at com.pdprime.")).findFirst();
        boolean named =
            !thread.startsWith("\"realtime-") || thread.startsWith("\"realtime-publish-committer");
        if (frame.isPresent() && named) {
          String[] lines = thread.strip().split("\n", 3);
          ours.add(
              lines[0].replaceAll("\" #\\d+.*", "\"")
                  + " "
                  + (lines.length > 1
                      ? lines[1].strip().replace("java.lang.Thread.State: ", "")
                      : "")
                  + " "
                  + frame.get().strip());
        }
      }
      return id + " (" + dump.getFileName() + "): " + (ours.isEmpty() ? "none" : ours);
    }

    boolean alive() {
      return process != null && process.isAlive();
    }

    synchronized void launch() throws IOException {
      Path tmp = Files.createTempDirectory(Files.createDirectories(work.resolve("tmp")), id + "-");
      ProcessBuilder builder =
          new ProcessBuilder(
              javaCommand(),
              "-Drealtime.instance.id=" + id,
              "-Djava.io.tmpdir=" + tmp,
              // Instances starting together wait for Liquibase's lock; poll it every second, not
              // ten.
              "-Dliquibase.changelogLockPollRate=1",
              "-jar",
              serverDir.resolve("payara-micro.jar").toString(),
              "--nohazelcast",
              // A root directory of its own, as docs/operations.md prescribes: the default one,
              // under the temporary directory, is deleted while the server stops, and a class the
              // stop needed for the first time was gone (the engine's last journal flush failed
              // with NoClassDefFoundError, and an orderly shutdown left no rows).
              "--rootdir",
              tmp.resolve("root").toString(),
              "--port",
              Integer.toString(port),
              "--addLibs",
              serverDir.resolve("postgresql.jar").toString(),
              "--addLibs",
              serverDir.resolve("pdprime-realtime-container.jar").toString(),
              "--prebootcommandfile",
              configDir.resolve("payara/preboot.asadmin").toString(),
              "--postbootcommandfile",
              configDir.resolve("payara/production.asadmin").toString(),
              "--systemProperties",
              work.resolve("cluster.properties").toString(),
              "--deploy",
              war.toString(),
              "--contextroot",
              "/");
      URI db = URI.create(postgresUrl.substring("jdbc:".length()));
      Map<String, String> env = builder.environment();
      // As docs/operations.md prescribes: without it an instance's first answer to a queue message
      // could be refused as sent to a "deleted" temporary queue.
      env.put("REALTIME_BROKER_URL", broker.url() + "?jms.watchTopicAdvisories=false");
      env.put("REALTIME_DB_HOST", db.getHost());
      env.put("REALTIME_DB_PORT", Integer.toString(db.getPort() < 0 ? 5432 : db.getPort()));
      env.put("REALTIME_DB_NAME", DATABASE);
      env.put("REALTIME_DB_USER", "postgres");
      env.put("REALTIME_DB_PASSWORD", "trust-auth-ignores-it");
      env.put("REALTIME_OPERATOR_ADDRESS", "127.0.0.1");
      env.put("REALTIME_OPERATOR_PORT", Integer.toString(operatorPort));
      Launched launched = ClusterHarness.this.launch(id, builder);
      launchedAt = System.nanoTime();
      process = launched.process();
      log = launched.log();
    }

    /**
     * Waits until the WAR answers (the development token endpoint gives 200) and checks the
     * instance id. Fails at once if the process ends, or if Payara Micro reports itself ready
     * without the WAR answering (a failed deployment: Payara Micro then keeps running without the
     * application).
     */
    void awaitReady() throws Exception {
      long[] bootedAt = {0};
      boolean done =
          poll(
              START_TIMEOUT,
              Duration.ofMillis(250),
              () -> {
                if (!alive() || answers()) {
                  return true;
                }
                if (bootedAt[0] == 0
                    && readsLine(log, "Payara Micro ")
                    && readsLine(log, " ready in ")) {
                  bootedAt[0] = System.nanoTime();
                }
                return bootedAt[0] != 0
                    && System.nanoTime() - bootedAt[0] > TimeUnit.SECONDS.toNanos(3);
              });
      if (!done || !alive() || !answers()) {
        throw new IllegalStateException(
            id
                + " did not start: "
                + (!done
                    ? "no answer within " + START_TIMEOUT
                    : alive() ? "the application is not deployed" : "the process ended")
                + " (log "
                + log
                + "):\n"
                + problems(log));
      }
      if (!readsLine(log, "instance=" + id + " ")) {
        throw new IllegalStateException(
            id + " started under another realtime.instance.id (log " + log + ")");
      }
      System.out.printf(
          "cluster: %s ready on port %d %d ms after its launch%n",
          id, port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAt));
    }

    /** Waits until this instance's Liquibase migration is done (its log says so). */
    void awaitSchema() throws Exception {
      boolean done =
          poll(
              START_TIMEOUT,
              Duration.ofMillis(100),
              () ->
                  !alive()
                      || readsLine(log, "schema is up to date")
                      || readsLine(log, "schema migration failed"));
      if (!done || !alive() || !readsLine(log, "schema is up to date")) {
        throw new IllegalStateException(
            id + " did not migrate the schema (log " + log + "):\n" + problems(log));
      }
    }

    private boolean answers() {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(http("api/v1/notifications/preferences"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + ClusterApi.token("probe"))
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** SIGTERM: the orderly shutdown an operator or an orchestrator asks for. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(id + " still running 60 s after SIGTERM");
      }
    }

    /** kill -9: no shutdown, no close frames, no final journal flush. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException(id + " still running after destroyForcibly");
      }
    }
  }
}

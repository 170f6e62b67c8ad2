package com.pdprime.realtime.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The live objects of the server process under test, counted by the JDK's {@code jcmd
 * GC.class_histogram}, which runs a full GC first: what it counts is what something still holds.
 * The server is the one Payara Micro or WildFly child of this test JVM (Arquillian's managed
 * container starts it); anything else is a setup error, never a silent skip.
 */
final class ServerHeap {
  private static final boolean WILDFLY = ServerUnderTest.CURRENT == ServerUnderTest.WILDFLY;

  /** The container's object for one WebSocket session: Tyrus's on Payara, Undertow's on WildFly. */
  static final String SESSION_CLASS =
      WILDFLY
          ? "io.undertow.websockets.jsr.UndertowSession"
          : "org.glassfish.tyrus.core.TyrusSession";

  private static final String SERVER_JAR = WILDFLY ? "jboss-modules.jar" : "payara-micro.jar";

  /** How a thread dump's line for one of WildFly's HTTP worker threads begins. */
  private static final String WILDFLY_WORKER_THREAD = "\"default task-";

  private final long pid;

  private ServerHeap(long pid) {
    this.pid = pid;
  }

  static ServerHeap ofServerUnderTest() {
    List<ProcessHandle> servers =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains(SERVER_JAR))
            .toList();
    if (servers.size() != 1) {
      throw new IllegalStateException(
          "expected one " + SERVER_JAR + " child process of the test JVM, found " + servers.size());
    }
    return new ServerHeap(servers.get(0).pid());
  }

  /**
   * How many closed sessions the container's own threads may still point at, at most one each. On
   * WildFly an idle HTTP worker keeps the last task it ran on its stack, and an upgrade's task
   * reaches its session (a heap dump: thread's local → {@code EnhancedQueueExecutor$Task} → {@code
   * HttpServerExchange} → … → {@code UndertowSession}): its worker threads alive now, counted in a
   * {@code jcmd Thread.print}. Payara's workers were seen holding none (0 live after 3,000 closes,
   * with 64 workers), so there it is 0.
   */
  long threadsThatMayHoldAClosedSession() throws IOException, InterruptedException {
    if (!WILDFLY) {
      return 0;
    }
    return jcmd("Thread.print")
        .lines()
        .filter(line -> line.startsWith(WILDFLY_WORKER_THREAD))
        .count();
  }

  /** Live instances of each named class (0 for a class with none). */
  Map<String, Long> liveInstances(Set<String> classNames) throws IOException, InterruptedException {
    String histogram = jcmd("GC.class_histogram");
    Map<String, Long> counts = new HashMap<>();
    classNames.forEach(name -> counts.put(name, 0L));
    // Rows read "  12:     2000     320000  org.glassfish.tyrus.core.TyrusSession (module)".
    for (String line : histogram.split("\n")) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length >= 4 && columns[0].endsWith(":") && classNames.contains(columns[3])) {
        counts.put(columns[3], Long.parseLong(columns[1]));
      }
    }
    return counts;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process process =
        new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
    }
    return output;
  }
}

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a recorded server ran, or allocated, during one phase of a generator run.
 *
 * <pre>
 * java scripts/JfrPhase.java [--allocation | --waits THREADS] REC.jfr RUN.log PHASE [NAME=REGEX ...]
 * </pre>
 *
 * <p>REC.jfr is a recording started with the server's JVM
 * (PDPRIME_JAVA_OPTS="-XX:StartFlightRecording=settings=profile") and dumped after the phase (jcmd
 * PID JFR.dump name=1 filename=REC.jfr); RUN.log is the generator's log, PHASE the phase's name as
 * its "phase NAME:" line gives it (e.g. "b@1000/s"): events from 5 s after that line for 55 s are
 * counted; "storms": from the first "storm: dropping every socket" line to the "final:" line; or
 * "subscribe": the initial subscribes, from 2 s after the "connected" line to the "subscribed" line.
 * Execution samples by how the sampled frame ran (a share of "Interpreted" means the JIT had not
 * compiled that code, so the profile is not the steady state's), by thread group, and for each
 * NAME=REGEX by the first rule whose regex matches a frame of the sample (Java's dotted names, e.g.
 * "heads=RoomEventStore\\.heads"). JFR keeps the innermost 64 frames of a stack unless the JVM
 * ran with -XX:FlightRecorderOptions=stackdepth=N; Payara's HTTP workers' stacks are often deeper,
 * and a rule on an outer frame then misses those samples. With --allocation the same for the bytes
 * allocated (jdk.ObjectAllocationSample, each sample weighted by the bytes it stands for), and the
 * classes allocated most. With --waits THREADS, where the threads whose names start with THREADS
 * (e.g. "http-thread-pool") waited instead of running: the seconds and number of their monitor
 * waits (by the monitor's class and the thread group that held it), parks and socket reads and
 * writes, and for each NAME=REGEX the waits under a frame it matches. JFR records only the waits
 * longer than the recording's thresholds, so record them lower than the profile's 10 ms:
 * {@code -XX:StartFlightRecording=settings=profile,locking-threshold=1ms,socket-threshold=0ms}.
 * Reads the recording as a stream: `jfr print --json` of a storm's allocation samples is tens of
 * gigabytes.
 */
public class JfrPhase {
  public static void main(String[] args) throws IOException {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean allocation = rest.get(0).equals("--allocation");
    if (allocation) {
      rest.remove(0);
    }
    String waitingThreads = null;
    if (rest.get(0).equals("--waits")) {
      rest.remove(0);
      waitingThreads = rest.remove(0);
    }
    Path recording = Path.of(rest.get(0));
    double[] window = window(Files.readAllLines(Path.of(rest.get(1))), rest.get(2));
    Map<String, Pattern> rules = new LinkedHashMap<>();
    for (String rule : rest.subList(3, rest.size())) {
      String[] nameAndRegex = rule.split("=", 2);
      rules.put(nameAndRegex[0], Pattern.compile(nameAndRegex[1]));
    }
    if (waitingThreads != null) {
      waits(recording, window, rest.get(2), waitingThreads, rules);
      return;
    }
    String eventType = allocation ? "jdk.ObjectAllocationSample" : "jdk.ExecutionSample";
    Map<String, Double> kinds = new HashMap<>();
    Map<String, Double> threads = new HashMap<>();
    Map<String, Double> matched = new HashMap<>();
    Map<String, Double> classes = new HashMap<>();
    double total = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getEventType().getName().equals(eventType)) {
          continue;
        }
        double at = secondsOfDay(event.getStartTime().atOffset(ZoneOffset.UTC).toLocalTime());
        if (at < window[0] || at >= window[1] || event.getStackTrace() == null) {
          continue;
        }
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        if (frames.isEmpty()) {
          continue;
        }
        double weight = allocation ? event.getLong("weight") : 1;
        total += weight;
        RecordedThread thread = event.getThread(allocation ? "eventThread" : "sampledThread");
        String threadName = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        threads.merge(threadName.replaceAll("\\d+", "N"), weight, Double::sum);
        if (allocation) {
          classes.merge(event.getClass("objectClass").getName(), weight, Double::sum);
        } else {
          kinds.merge(frames.get(0).getType(), weight, Double::sum);
        }
        List<String> names =
            frames.stream()
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                .toList();
        for (Map.Entry<String, Pattern> rule : rules.entrySet()) {
          if (names.stream().anyMatch(name -> rule.getValue().matcher(name).find())) {
            matched.merge(rule.getKey(), weight, Double::sum);
            break;
          }
        }
      }
    }
    if (total == 0) {
      System.err.println("no " + eventType + " events in the phase's window");
      System.exit(1);
    }
    double seconds = window[1] - window[0];
    double scale = allocation ? 1 << 20 : 1;
    String unit = allocation ? "MB" : "";
    if (allocation) {
      System.out.printf(
          "%.0f MB allocated in %s (%.0f s), %.0f MB/s%n",
          total / scale, rest.get(2), seconds, total / scale / seconds);
    } else {
      System.out.printf("%.0f execution samples in %s (%.0f s)%n", total, rest.get(2), seconds);
      System.out.println("  frames: " + shares(kinds, total));
    }
    for (String name : rules.keySet()) {
      print(matched.getOrDefault(name, 0.0), total, scale, unit, name);
    }
    System.out.println("  by thread:");
    for (Map.Entry<String, Double> thread : top(threads, 10)) {
      print(thread.getValue(), total, scale, unit, thread.getKey());
    }
    if (allocation) {
      System.out.println("  by class allocated:");
      for (Map.Entry<String, Double> allocated : top(classes, 20)) {
        print(allocated.getValue(), total, scale, unit, allocated.getKey());
      }
    }
  }

  private static final Set<String> WAITS =
      Set.of("jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.SocketRead", "jdk.SocketWrite");

  private static void waits(
      Path recording, double[] window, String phase, String threadPrefix, Map<String, Pattern> rules)
      throws IOException {
    Map<String, Double> seconds = new HashMap<>();
    Map<String, Double> counts = new HashMap<>();
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        if (!WAITS.contains(type) || event.getStackTrace() == null) {
          continue;
        }
        double at = secondsOfDay(event.getStartTime().atOffset(ZoneOffset.UTC).toLocalTime());
        RecordedThread thread = event.getThread();
        if (at < window[0]
            || at >= window[1]
            || thread == null
            || thread.getJavaName() == null
            || !thread.getJavaName().startsWith(threadPrefix)) {
          continue;
        }
        double waited = event.getDuration().toNanos() / 1e9;
        String kind = type.substring("jdk.".length());
        if (type.equals("jdk.JavaMonitorEnter")) {
          RecordedThread holder = event.getThread("previousOwner");
          kind +=
              " "
                  + event.getClass("monitorClass").getName()
                  + " held by "
                  + (holder == null || holder.getJavaName() == null
                      ? "?"
                      : holder.getJavaName().replaceAll("\\d+", "N"));
        }
        List<String> keys = new ArrayList<>(List.of(kind));
        List<String> names =
            event.getStackTrace().getFrames().stream()
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                .toList();
        for (Map.Entry<String, Pattern> rule : rules.entrySet()) {
          if (names.stream().anyMatch(name -> rule.getValue().matcher(name).find())) {
            keys.add("rule " + rule.getKey() + ": " + type.substring("jdk.".length()));
            break;
          }
        }
        for (String key : keys) {
          seconds.merge(key, waited, Double::sum);
          counts.merge(key, 1.0, Double::sum);
        }
      }
    }
    System.out.printf(
        "waits of %s* threads in %s (%.0f s): seconds waited, waits%n",
        threadPrefix, phase, window[1] - window[0]);
    for (Map.Entry<String, Double> wait : top(seconds, seconds.size())) {
      if (wait.getKey().startsWith("rule ") || wait.getValue() >= 1) {
        System.out.printf(
            "  %8.1f s %8.0f  %s%n", wait.getValue(), counts.get(wait.getKey()), wait.getKey());
      }
    }
  }

  /** The phase's window in seconds of the day (UTC, as the generator's log and JFR's times). */
  private static double[] window(List<String> log, String phase) {
    if (phase.equals("storms")) {
      Double first = firstTime(log, "storm: dropping every socket");
      Double last = firstTime(log, " final: ");
      if (first == null || last == null) {
        throw new IllegalArgumentException("no storm or no final line in the log");
      }
      return new double[] {first, last};
    }
    if (phase.equals("subscribe")) {
      // The generator waits 2 s after its "connected" line, then subscribes every connection.
      Double connected = firstTime(log, " connected ");
      Double subscribed = firstTime(log, " subscribed ");
      if (connected == null || subscribed == null) {
        throw new IllegalArgumentException("no connected or no subscribed line in the log");
      }
      return new double[] {connected + 2, subscribed};
    }
    Double start = null;
    for (String line : log) {
      if (line.contains("phase " + phase + ":")) {
        start = seconds(line);
      }
    }
    if (start == null) {
      throw new IllegalArgumentException("no 'phase " + phase + ":' line in the log");
    }
    return new double[] {start + 5, start + 60};
  }

  private static Double firstTime(List<String> log, String marker) {
    return log.stream().filter(l -> l.contains(marker)).findFirst().map(JfrPhase::seconds).orElse(null);
  }

  private static double seconds(String line) {
    return secondsOfDay(LocalTime.parse(line.split(" ")[0]));
  }

  private static double secondsOfDay(LocalTime time) {
    return time.toSecondOfDay() + time.getNano() / 1e9;
  }

  private static String shares(Map<String, Double> counts, double total) {
    return top(counts, counts.size()).stream()
        .map(e -> String.format("%s %.0f %%", e.getKey(), 100 * e.getValue() / total))
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private static List<Map.Entry<String, Double>> top(Map<String, Double> counts, int limit) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(limit)
        .toList();
  }

  private static void print(double value, double total, double scale, String unit, String name) {
    System.out.printf("  %7.0f%s %5.1f %%  %s%n", value / scale, unit, 100 * value / total, name);
  }
}

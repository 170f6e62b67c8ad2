package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A closed connection leaves nothing on the server's heap: after thousands of connections opened,
 * subscribed and closed (by the client, by a dropped socket, by the server at the token's expiry),
 * the container's live WebSocket sessions and the engine's connection objects, counted after a full
 * GC, are no more than the container's idle worker threads can still point at ({@link
 * #backAtBaseline}). Issue 12: each closed connection used to stay reachable until its token
 * expired.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClosedConnectionsIT {
  private static final int CONNECTIONS = 3000;
  private static final int IN_FLIGHT = 50;
  private static final int RESIDUE = 2;

  /**
   * Connections of the churn that may fail to open or to end as asked, each one printed: Payara's
   * upgrade plumbing mishandles a few aborted sockets under this churn (docs/architecture.md, "A
   * socket whose connection the container let go"; the server log shows Grizzly's GRIZZLY0013 on a
   * released request context in most runs), and one run in several lost one connection to it. A
   * frame for another connection is never tolerated ({@link Listener#foreign}).
   */
  private static final int CONTAINER_FAILURES_TOLERATED = 3;

  private static final Set<String> CONNECTION_CLASSES =
      Set.of(
          ServerHeap.SESSION_CLASS,
          "com.pdprime.realtime.websocket.Connection",
          "com.pdprime.realtime.websocket.Outbox");

  private static final String UPGRADED_CONNECTION =
      "org.apache.catalina.connector.WebConnectionImpl";

  /**
   * The closed connections Payara may legitimately still point at: each HTTP worker keeps up to 16
   * recycled requests, each with its last connection's objects (64 workers,
   * server-config/payara/preboot.asadmin), plus the selector threads' few.
   */
  private static final int RECYCLED_REQUEST_HOLDERS = 64 * 16 + 100;

  /**
   * Well above {@link #RECYCLED_REQUEST_HOLDERS}, so that a release shows past them; the test
   * server lets one address hold that many (arquillian.xml).
   */
  private static final int RELEASE_CONNECTIONS = 3000;

  /**
   * Grizzly's HTTP keep-alive queue holds every new connection for its keep-alive timeout (30 s)
   * from the upgrade, whatever happens to it; the connections stay open longer than that.
   */
  private static final Duration PAST_THE_KEEP_ALIVE_QUEUE = Duration.ofSeconds(32);

  /** A third of the idle timeout that used to let them go; a release takes about 1 s. */
  private static final Duration RELEASE = Duration.ofSeconds(10);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private final AtomicInteger subscribesSentAgain = new AtomicInteger();

  @Test
  void closedConnectionsLeaveNoObjectsOnTheServerHeap() throws Exception {
    ServerHeap heap = ServerHeap.ofServerUnderTest();
    ExecutorService listeners = Executors.newFixedThreadPool(2);
    try {
      HttpClient http = HttpClient.newBuilder().executor(listeners).build();
      // The first connections create the engine's lazily built state; the baseline comes after.
      churn(http, 0, IN_FLIGHT);
      awaitServerRegistryEmpty();
      Map<String, Long> baseline = heap.liveInstances(CONNECTION_CLASSES);

      churn(http, IN_FLIGHT, CONNECTIONS);
      awaitServerRegistryEmpty();

      long holders = heap.threadsThatMayHoldAClosedSession();
      Map<String, Long> after = awaitBaseline(heap, baseline, holders);
      System.out.println(
          "live after the churn: "
              + after
              + "; before: "
              + baseline
              + "; threads that may hold one: "
              + holders);
      assertTrue(
          backAtBaseline(after, baseline, holders),
          "live objects after "
              + CONNECTIONS
              + " closed connections: "
              + after
              + "; before: "
              + baseline
              + "; container threads that may hold one: "
              + holders);
    } finally {
      listeners.shutdownNow();
    }
  }

  /**
   * A dropped connection's container objects (Grizzly's connection, Payara's request with its
   * parsing buffers: about half of the 31 KB a connection holds) are let go within seconds of the
   * drop, not at the HTTP idle timeout 30 s later. The listener's port unification passed no close
   * on to the HTTP protocol's idle-timeout filter, whose queue kept every closed connection until
   * its timeout (bench/RESULTS.md, "Fourth stop of 2026-12-05"); a storm's 10,000 dropped sockets
   * then stayed live through the reconnects. Counts one {@code WebConnectionImpl} per upgraded
   * connection; Payara only, the class and the port unification are Payara's listener's.
   */
  @Test
  void droppedConnectionsAreLetGoBeforeTheIdleTimeout() throws Exception {
    assumeTrue(ServerUnderTest.CURRENT == ServerUnderTest.PAYARA, "the classes are Payara's");
    ServerHeap heap = ServerHeap.ofServerUnderTest();
    ExecutorService listeners = Executors.newFixedThreadPool(2);
    List<WebSocket> sockets = new ArrayList<>();
    try {
      HttpClient http = HttpClient.newBuilder().executor(listeners).build();
      openIdle(http, "release-", RELEASE_CONNECTIONS, sockets);
      TimeUnit.MILLISECONDS.sleep(PAST_THE_KEEP_ALIVE_QUEUE.toMillis());
      long open = heap.liveInstances(Set.of(UPGRADED_CONNECTION)).get(UPGRADED_CONNECTION);
      assertTrue(
          open >= RELEASE_CONNECTIONS,
          RELEASE_CONNECTIONS + " connections open, " + open + " live " + UPGRADED_CONNECTION);

      synchronized (sockets) {
        sockets.forEach(WebSocket::abort);
      }
      awaitServerRegistryEmpty();
      TimeUnit.MILLISECONDS.sleep(RELEASE.toMillis());
      long after = heap.liveInstances(Set.of(UPGRADED_CONNECTION)).get(UPGRADED_CONNECTION);
      long released = open - after;
      System.out.println(
          "upgraded connections live: "
              + open
              + " open, "
              + after
              + " "
              + RELEASE.toSeconds()
              + " s after the drop");
      assertTrue(
          released >= RELEASE_CONNECTIONS - RECYCLED_REQUEST_HOLDERS,
          released
              + " of "
              + RELEASE_CONNECTIONS
              + " dropped connections let go within "
              + RELEASE.toSeconds()
              + " s ("
              + open
              + " live while open, "
              + after
              + " after); the workers' recycled requests may keep "
              + RECYCLED_REQUEST_HOLDERS);
    } finally {
      synchronized (sockets) {
        sockets.forEach(WebSocket::abort);
      }
      listeners.shutdownNow();
    }
  }

  /**
   * Opens {@code count} connections of users {@code prefix0}, … into {@code sockets} (the caller
   * drops them, also after a failure) and waits for each welcome.
   */
  private void openIdle(HttpClient http, String prefix, int count, List<WebSocket> sockets)
      throws Exception {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<WebSocket>> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      Listener listener = new Listener(prefix + i);
      CompletableFuture<WebSocket> socket =
          open(http, Tokens.valid(prefix + i), listener)
              .thenCompose(connected -> listener.welcomed.thenApply(ignored -> connected));
      socket.whenComplete((ignored, failure) -> inFlight.release());
      opened.add(socket);
      socket.thenAccept(
          connected -> {
            synchronized (sockets) {
              sockets.add(connected);
            }
          });
    }
    for (CompletableFuture<WebSocket> socket : opened) {
      socket.get(1, TimeUnit.MINUTES);
    }
  }

  /**
   * Opens and closes connections {@code from} to {@code to}, ending in one of three ways in turn;
   * all but the expired ones wait for the server's reply to their subscribe first.
   */
  private void churn(HttpClient http, int from, int to) throws Exception {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Integer>> ends = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    for (int i = from; i < to; i++) {
      inFlight.acquire();
      Ending ending = Ending.values()[i % Ending.values().length];
      Listener listener = new Listener("churn-" + i);
      listeners.add(listener);
      CompletableFuture<Integer> end = connection(http, "churn-" + i, ending, listener);
      end.whenComplete((code, failure) -> inFlight.release());
      ends.add(end);
    }
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < ends.size(); i++) {
      Ending ending = Ending.values()[(from + i) % Ending.values().length];
      String name = "churn-" + (from + i) + " (" + ending + ")";
      try {
        int code = ends.get(i).get(1, TimeUnit.MINUTES);
        if (code != ending.expectedCode) {
          failed.add(name + " closed with " + code);
        }
      } catch (TimeoutException e) {
        failed.add(name + " did not end; " + listeners.get(i).progress());
      } catch (ExecutionException e) {
        String refusal = refusal(e.getCause());
        assertFalse(
            Listener.foreign(refusal, "churn-" + (from + i)),
            name + " was answered with another connection's frames: " + refusal);
        failed.add(name + " failed: " + refusal);
      }
      assertTrue(
          listeners.get(i).foreignFrames.isEmpty(),
          name + " received another connection's frames: " + listeners.get(i).foreignFrames);
    }
    failed.forEach(failure -> System.out.println("container failure: " + failure));
    System.out.println(
        "subscribes sent again after SERVER_BUSY or RATE_LIMITED: " + subscribesSentAgain);
    assertTrue(
        failed.size() <= CONTAINER_FAILURES_TOLERATED,
        failed.size() + " of " + (to - from) + " connections failed: " + failed);
  }

  /** What the server answered instead of the upgrade, or the failure itself. */
  private static String refusal(Throwable failure) {
    if (failure instanceof WebSocketHandshakeException refused) {
      return "HTTP " + refused.getResponse().statusCode() + " " + refused.getResponse().body();
    }
    return String.valueOf(failure);
  }

  private CompletableFuture<Integer> connection(
      HttpClient http, String subject, Ending ending, Listener listener) {
    if (ending == Ending.SERVER_CLOSE) {
      Instant now = Instant.now();
      String expired =
          Tokens.sign(
              Tokens.devKey(), Tokens.ISSUER, Tokens.AUDIENCE, subject, now.minusSeconds(60), now);
      return open(http, expired, listener).thenCompose(socket -> ending.end(socket, listener));
    }
    return open(http, Tokens.valid(subject), listener)
        .thenCompose(socket -> listener.welcomed.thenApply(ignored -> socket))
        .thenCompose(socket -> subscribe(socket, subject, listener))
        .thenCompose(socket -> ending.end(socket, listener));
  }

  /**
   * Subscribes to the user's room, sending the subscribe again after a second when the server
   * answers that it is busy or rate-limited, as the shipped client does ({@code retriesSubscribe}
   * in pdprime-realtime.js): 50 subscribes in flight may meet the server's bound on those in
   * progress (protocol §6).
   */
  private CompletableFuture<WebSocket> subscribe(
      WebSocket socket, String subject, Listener listener) {
    CompletableFuture<String> reply = listener.awaitSubscribeReply();
    return socket
        .sendText("{\"id\":\"s\",\"type\":\"subscribe\",\"room\":\"user:" + subject + "\"}", true)
        .thenCompose(sent -> reply)
        .thenCompose(
            line -> {
              if (line.contains("\"type\":\"ok\"")) {
                return CompletableFuture.completedFuture(socket);
              }
              if (line.contains("\"code\":\"SERVER_BUSY\"")
                  || line.contains("\"code\":\"RATE_LIMITED\"")) {
                subscribesSentAgain.incrementAndGet();
                return CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                    .thenCompose(ignored -> subscribe(socket, subject, listener));
              }
              return CompletableFuture.failedFuture(
                  new AssertionError("subscribe refused: " + line));
            });
  }

  private CompletableFuture<WebSocket> open(HttpClient http, String token, Listener listener) {
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .subprotocols(TestClient.PROTOCOL, "bearer." + token)
        .buildAsync(TestClient.wsUri(base), listener)
        .handle(
            (socket, failure) ->
                socket != null
                    ? CompletableFuture.completedFuture(socket)
                    : againIfBusy(http, token, listener, failure))
        .thenCompose(next -> next);
  }

  /**
   * A 503 (the server deciding as many handshakes as it takes at once) asks the client to come back
   * after {@code Retry-After}, as any client should; other failures stay failures.
   */
  private CompletableFuture<WebSocket> againIfBusy(
      HttpClient http, String token, Listener listener, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof WebSocketHandshakeException refused
        && refused.getResponse().statusCode() == 503) {
      long seconds = refused.getResponse().headers().firstValueAsLong("Retry-After").orElseThrow();
      return CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
          .thenCompose(ignored -> open(http, token, listener));
    }
    return CompletableFuture.failedFuture(cause);
  }

  /**
   * The counts once they are back at the baseline, or the last counts after a minute: the thread
   * that recorded the last close may still hold its connection when the gauge reads 0.
   */
  private static Map<String, Long> awaitBaseline(
      ServerHeap heap, Map<String, Long> baseline, long holders) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    Map<String, Long> counts = heap.liveInstances(CONNECTION_CLASSES);
    while (!backAtBaseline(counts, baseline, holders) && System.nanoTime() < deadline) {
      TimeUnit.SECONDS.sleep(1);
      counts = heap.liveInstances(CONNECTION_CLASSES);
    }
    return counts;
  }

  /**
   * Every count at most {@link #RESIDUE} above the larger of its baseline and the number of the
   * container's threads that may still point at a closed session ({@link
   * ServerHeap#threadsThatMayHoldAClosedSession}: WildFly's worker threads, each keeping the last
   * task it ran; none on Payara). A heap dump on WildFly after this churn showed every one of the
   * 18 live sessions held only so, as many as at the baseline, and 30,000 connections left 12 as 50
   * did. The baseline comes from the threads the first 50 connections used; a churn that uses more
   * threads leaves one more per thread: a run alone had 13 before and 16 after with 32 worker
   * threads, the "3 above" of the two failures on WildFly in full CI runs. A leak keeps one per
   * closed connection: thousands.
   */
  private static boolean backAtBaseline(
      Map<String, Long> counts, Map<String, Long> baseline, long holders) {
    return counts.entrySet().stream()
        .allMatch(
            count -> count.getValue() <= Math.max(baseline.get(count.getKey()), holders) + RESIDUE);
  }

  private void awaitServerRegistryEmpty() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    String gauge = "";
    while (System.nanoTime() < deadline) {
      gauge = openConnectionsGauge();
      if (gauge.endsWith(" 0") || gauge.endsWith(" 0.0")) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("server still reports open connections: " + gauge);
  }

  private String openConnectionsGauge() throws Exception {
    return Api.serverText(base, "/metrics")
        .lines()
        .filter(line -> line.startsWith("realtime_connections_open"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no realtime_connections_open in /metrics"))
        .trim();
  }

  /** How a connection ends, and the close code the client then sees. */
  private enum Ending {
    /** The client closes with 1000 and the server answers. */
    CLIENT_CLOSE(1000) {
      @Override
      CompletableFuture<Integer> end(WebSocket socket, Listener listener) {
        socket.sendClose(1000, "done");
        return listener.closed;
      }
    },
    /** The socket is dropped without a close frame (a lost network, a killed tab). */
    DROPPED(1006) {
      @Override
      CompletableFuture<Integer> end(WebSocket socket, Listener listener) {
        socket.abort();
        return CompletableFuture.completedFuture(1006);
      }
    },
    /**
     * The server closes: the token expired a moment ago (accepted within the clock skew), so the
     * server closes with 4001 at once, from its connection timer. No welcome or subscribe is
     * awaited: the close may come first.
     */
    SERVER_CLOSE(4001) {
      @Override
      CompletableFuture<Integer> end(WebSocket socket, Listener listener) {
        return listener.closed;
      }
    };

    final int expectedCode;

    Ending(int expectedCode) {
      this.expectedCode = expectedCode;
    }

    abstract CompletableFuture<Integer> end(WebSocket socket, Listener listener);
  }

  /**
   * Completes on the welcome, on the subscribe's reply, and on the close; keeps every frame that
   * names another connection's user or room.
   */
  private static final class Listener implements WebSocket.Listener {
    final List<String> foreignFrames = new CopyOnWriteArrayList<>();
    private final String subject;
    final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private volatile CompletableFuture<String> subscribeReply = new CompletableFuture<>();
    private volatile boolean subscribed;
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean opened;
    private volatile String lastFrame = "none";

    Listener(String subject) {
      this.subject = subject;
    }

    /** Whether text received by {@code subject}'s connection names another user or user room. */
    static boolean foreign(String text, String subject) {
      return text.replace("\"subject\":\"" + subject + "\"", "").contains("\"subject\":\"")
          || text.replace("\"room\":\"user:" + subject + "\"", "").contains("\"room\":\"user:");
    }

    /** How far the connection got, for a failure message. */
    String progress() {
      return "opened="
          + opened
          + " welcomed="
          + welcomed.isDone()
          + " subscribed="
          + subscribed
          + " closed="
          + closed.isDone()
          + " last frame: "
          + lastFrame;
    }

    /** The reply to the next subscribe sent: one subscribe at a time is in flight. */
    CompletableFuture<String> awaitSubscribeReply() {
      subscribeReply = new CompletableFuture<>();
      return subscribeReply;
    }

    @Override
    public void onOpen(WebSocket socket) {
      opened = true;
      socket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        lastFrame = partial.toString();
        if (foreign(lastFrame, subject)) {
          foreignFrames.add(lastFrame);
        }
        for (String line : partial.toString().split("\n")) {
          if (line.contains("\"type\":\"welcome\"")) {
            welcomed.complete(null);
          } else if (line.contains("\"replyTo\":\"s\"")) {
            subscribed = line.contains("\"type\":\"ok\"");
            subscribeReply.complete(line);
          }
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      welcomed.completeExceptionally(error);
      subscribeReply.completeExceptionally(error);
      closed.completeExceptionally(error);
    }
  }
}

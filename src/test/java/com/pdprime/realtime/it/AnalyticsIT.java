package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dashboards as a viewer sees them: computed from real quotes, a snapshot then merge-patch deltas
 * that add up to the next snapshot, refused without the permission or with a bad filter, and
 * computed once however many people watch. Each test filters by an agent of its own, so the demo
 * quotes and other tests' quotes do not count.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AnalyticsIT {
  private static final Duration APPEARS_WITHIN = Duration.ofSeconds(2);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void withoutAnalyticsReadEveryDashboardIsForbiddenWhateverTheFilter() throws Exception {
    try (TestClient agent = TestClient.connect(base, Tokens.valid("dash-agent", "quote:read"));
        TestClient old = TestClient.connect(base, Tokens.valid("dash-old", "analytics:view"))) {
      for (String room :
          List.of(
              "analytics:quotes;hours=24", "analytics:quotes;hours=999", "analytics:performance")) {
        assertEquals("FORBIDDEN_ROOM", agent.subscribe(room).getString("code"), room);
      }
      assertEquals(
          "FORBIDDEN_ROOM",
          old.subscribe("analytics:quotes;hours=24").getString("code"),
          "the retired name analytics:view grants nothing");
    }
  }

  @Test
  void aFilterOutOfRangeOrOutOfOrderIsRefusedWithItsReason() throws Exception {
    try (TestClient viewer =
        TestClient.connect(base, Tokens.valid("dash-typo", "analytics:read"))) {
      assertInvalidFilter(viewer, "analytics:quotes", "needs its time window");
      assertInvalidFilter(viewer, "analytics:quotes;hours=0", "from 1 to 168");
      assertInvalidFilter(viewer, "analytics:quotes;hours=169", "from 1 to 168");
      assertInvalidFilter(viewer, "analytics:quotes;state=TX;hours=24", "out of place");
      assertInvalidFilter(viewer, "analytics:quotes;hours=24;state=ZZ", "US state code");
      assertInvalidFilter(viewer, "analytics:performance;hours=24;agent=a", "hours only");
      assertInvalidFilter(viewer, "analytics:sales;hours=24", "no dashboard 'sales'");
      assertEquals(
          "INVALID_ROOM",
          viewer.subscribe("analytics:quotes;hours=24;state=TX;agent=a;x=1;y=2").getString("code"));
      JsonObject fine = viewer.subscribe("analytics:quotes;hours=24;state=TX");
      assertEquals("ok", fine.getString("type"), fine::toString);
    }
  }

  @Test
  void aQuoteCreatedOrBoundAppearsWithinTwoSecondsAndTheDeltasAddUpToTheSnapshot()
      throws Exception {
    String agent = "dash-agent-" + UUID.randomUUID().toString().substring(0, 8);
    String agentToken = Tokens.valid(agent, "quote:write", "quote:read");
    String room = "analytics:quotes;hours=1;agent=" + agent;
    try (TestClient client =
        TestClient.connect(base, Tokens.valid("dash-viewer", "analytics:read"))) {
      Viewer viewer = new Viewer(client, room);
      JsonObject empty = viewer.await(state -> true);
      assertEquals(0, empty.getJsonObject("totals").getInt("quotes"), empty::toString);
      assertEquals(JsonValue.NULL, empty.getJsonObject("totals").get("averagePremium"));

      long created = System.nanoTime();
      String quote = createQuote(agentToken, "dash-customer-1");
      viewer.await(state -> state.getJsonObject("totals").getInt("quotes") == 1);
      assertWithin(created, "the created quote");

      Api.fillRateableQuote(base, quote, agentToken);
      assertEquals(
          202, Api.post(base, "api/v1/quotes/" + quote + "/calculate", agentToken, null).status());
      Api.awaitStatus(base, quote, agentToken, "QUOTED");
      viewer.await(state -> state.getJsonObject("byStatus").getInt("QUOTED", 0) == 1);
      long bound = System.nanoTime();
      assertEquals(
          200, Api.post(base, "api/v1/quotes/" + quote + "/bind", agentToken, null).status());
      JsonObject boundState =
          viewer.await(state -> state.getJsonObject("byStatus").getInt("BOUND", 0) == 1);
      assertWithin(bound, "the bound quote");
      assertEquals(1, boundState.getJsonObject("topStates").getInt("OH"), boundState::toString);
      assertTrue(
          boundState.getJsonObject("totals").getJsonNumber("averagePremium").doubleValue() > 0);

      assertTrue(viewer.deltas > 0, "the changes came as deltas, not only snapshots");
      JsonObject fresh = client.reply(client.send("snapshot", "\"room\":\"" + room + "\""));
      assertEquals("ok", fresh.getString("type"), fresh::toString);
      assertEquals(
          viewer.version, fresh.getJsonObject("data").getJsonNumber("version").longValue());
      assertEquals(fresh.getJsonObject("data").getJsonObject("state"), viewer.state);
    }
  }

  @Test
  void twoHundredViewersCostTheQueriesOfOneAndNoViewersCostNone() throws Exception {
    String agent = "dash-load-" + UUID.randomUUID().toString().substring(0, 8);
    String agentToken = Tokens.valid(agent, "quote:write");
    String room = "analytics:conversion;hours=2;agent=" + agent;
    QuoteStream quotes = new QuoteStream(agentToken);
    quotes.start();
    try {
      long oneViewer;
      try (TestClient one = TestClient.connect(base, Tokens.valid("dash-one", "analytics:read"))) {
        new Viewer(one, room).await(state -> true);
        oneViewer = queriesDuring(Duration.ofSeconds(10));
      }
      awaitNoStreams();
      long manyViewers;
      List<TestClient> viewers = new ArrayList<>();
      try {
        for (int i = 0; i < 199; i++) {
          TestClient viewer =
              TestClient.connect(base, Tokens.valid("dash-many-" + i, "analytics:read"));
          viewers.add(viewer);
          assertEquals("ok", viewer.subscribe(room).getString("type"));
        }
        TestClient last = TestClient.connect(base, Tokens.valid("dash-many-199", "analytics:read"));
        viewers.add(last);
        new Viewer(last, room).await(state -> true);
        manyViewers = queriesDuring(Duration.ofSeconds(10));
      } finally {
        viewers.forEach(TestClient::close);
      }
      awaitNoStreams();
      long noViewers = queriesDuring(Duration.ofSeconds(5));

      // Quotes change every 300 ms, so the stream is dirty on every tick: one computation a second.
      assertTrue(oneViewer >= 5 && oneViewer <= 11, "one viewer, 10 s: " + oneViewer);
      assertTrue(
          manyViewers <= oneViewer + 2,
          "200 viewers caused " + manyViewers + " computations, one viewer " + oneViewer);
      assertEquals(0, noViewers, "computations with nobody watching");
    } finally {
      quotes.stop();
    }
  }

  @Test
  void snapshotAnswersOnlyForSubscribedRoomsWithState() throws Exception {
    try (TestClient user = TestClient.connect(base, Tokens.valid("dash-snap", "analytics:read"))) {
      JsonObject notSubscribed =
          user.reply(user.send("snapshot", "\"room\":\"analytics:quotes;hours=3\""));
      assertEquals("NOT_SUBSCRIBED", notSubscribed.getString("code"));
      user.subscribe("user:dash-snap");
      JsonObject none = user.reply(user.send("snapshot", "\"room\":\"user:dash-snap\""));
      assertEquals("NO_SNAPSHOT", none.getString("code"), none::toString);
    }
  }

  @Test
  void onlyTheServerPublishesIntoDashboardRoomsAndDashboardEventNames() throws Exception {
    Api.Answer intoDashboard =
        Api.publish(base, "analytics:quotes;hours=24", "fake.figures", "{\"quotes\":1000000}");
    assertEquals(403, intoDashboard.status());
    assertEquals("SERVER_ONLY_ROOM", intoDashboard.body().getString("code"));
    Api.Answer fakeDelta =
        Api.publish(base, "analytics:sales", "dashboard.delta", "{\"version\":1}");
    assertEquals(403, fakeDelta.status());
    assertEquals("RESERVED_EVENT_NAME", fakeDelta.body().getString("code"));
  }

  private static void assertInvalidFilter(TestClient viewer, String room, String reason)
      throws InterruptedException {
    JsonObject refused = viewer.subscribe(room);
    assertEquals("INVALID_FILTER", refused.getString("code"), () -> room + ": " + refused);
    assertTrue(refused.getString("message").contains(reason), () -> room + ": " + refused);
  }

  private static void assertWithin(long since, String what) {
    Duration took = Duration.ofNanos(System.nanoTime() - since);
    assertTrue(took.compareTo(APPEARS_WITHIN) <= 0, what + " reached the dashboard after " + took);
  }

  private String createQuote(String agentToken, String customer) throws Exception {
    Api.Answer created =
        Api.post(
            base,
            "api/v1/quotes",
            agentToken,
            "{\"customerSubject\":\"" + customer + "\",\"customerName\":\"Customer\"}");
    assertEquals(201, created.status(), () -> String.valueOf(created.body()));
    return created.body().getString("id");
  }

  private long queriesDuring(Duration window) throws Exception {
    long before = conversionQueries();
    TimeUnit.MILLISECONDS.sleep(window.toMillis());
    return conversionQueries() - before;
  }

  private long conversionQueries() throws Exception {
    return Api.serverText(base, "/metrics")
        .lines()
        .filter(
            line ->
                line.startsWith("realtime_dashboard_queries_total{")
                    && line.contains("dashboard=\"conversion\""))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Waits until this server computes no stream: the last viewer's stream has stopped. */
  private void awaitNoStreams() throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    String gauge = null;
    while (System.nanoTime() < deadline) {
      gauge =
          Api.serverText(base, "/metrics")
              .lines()
              .filter(line -> line.startsWith("realtime_dashboard_streams_running"))
              .findFirst()
              .orElse("absent");
      if (gauge.endsWith(" 0") || gauge.endsWith(" 0.0")) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("dashboard streams still running: " + gauge);
  }

  /**
   * A dashboard as the JavaScript client keeps it: the snapshot of the subscribe reply, then deltas
   * applied with JSON-P's merge patch, each checked to follow the version before it.
   */
  private static final class Viewer {
    private final TestClient client;
    private final String room;
    long version;
    JsonObject state;
    int deltas;

    Viewer(TestClient client, String room) throws InterruptedException {
      this.client = client;
      this.room = room;
      JsonObject subscribed = client.subscribe(room);
      assertEquals("ok", subscribed.getString("type"), subscribed::toString);
      JsonObject snapshot = subscribed.getJsonObject("data").getJsonObject("snapshot");
      version = snapshot.getJsonNumber("version").longValue();
      state = snapshot.isNull("state") ? null : snapshot.getJsonObject("state");
    }

    /** Applies events until the state satisfies {@code wanted}, and returns that state. */
    JsonObject await(Predicate<JsonObject> wanted) throws InterruptedException {
      while (state == null || !wanted.test(state)) {
        JsonObject event =
            client.next(
                f ->
                    "event".equals(f.getString("type"))
                        && room.equals(f.getString("room"))
                        && f.getString("name").startsWith("dashboard."));
        JsonObject data = event.getJsonObject("data");
        long next = data.getJsonNumber("version").longValue();
        if (next <= version) {
          continue;
        }
        if ("dashboard.snapshot".equals(event.getString("name"))) {
          state = data.getJsonObject("state");
        } else {
          assertEquals(version, data.getJsonNumber("base").longValue(), "a gap before " + event);
          state = Json.createMergePatch(data.get("patch")).apply(state).asJsonObject();
          deltas++;
        }
        version = next;
      }
      return state;
    }
  }

  /** Creates a quote for the agent every 300 ms, so its dashboards always have news. */
  private final class QuoteStream {
    private final String agentToken;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    QuoteStream(String agentToken) {
      this.agentToken = agentToken;
      this.thread = new Thread(this::run, "quote-stream");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
      if (failure != null) {
        throw new AssertionError("creating quotes failed", failure);
      }
    }

    private void run() {
      int n = 0;
      while (running) {
        try {
          createQuote(agentToken, "dash-load-customer-" + n++);
          TimeUnit.MILLISECONDS.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception | AssertionError e) {
          failure = e;
          return;
        }
      }
    }
  }
}

package com.pdprime.realtime.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The server's REST API as a backend service or an admin would call it. */
final class Api {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * How long a call waits for its whole answer, body included, before it fails. No test waits this
   * long on purpose; a CI run once hung here for 20 minutes, a bystander's publish in AdmissionIT
   * on PostgreSQL whose exchange the JDK's client never completed, with no connection open for it
   * and the server idle (bench/RESULTS.md, "Fourth stop of 2026-12-04", part 5). A failure names
   * the call instead.
   *
   * <p>Bounded by waiting on the exchange's future, not by {@code HttpRequest.timeout}: on Java 17
   * that covers the exchange only until the response's headers arrive (JDK-8208693, changed in JDK
   * 26), so an answer whose body never completed would still wait forever.
   */
  static final Duration ANSWER_WAIT = Duration.ofMinutes(2);

  private Api() {}

  /** The status, the body if it is a JSON object, and the headers (WWW-Authenticate). */
  record Answer(int status, JsonObject body, HttpHeaders headers) {}

  static Answer post(URL base, String path, String token, String json) throws Exception {
    return send(base, "POST", path, token, json);
  }

  /**
   * Any call: {@code token} null sends no Authorization header, {@code json} null sends no body.
   */
  static Answer send(URL base, String method, String path, String token, String json)
      throws Exception {
    return sendAuthorized(base, method, path, token == null ? null : "Bearer " + token, json);
  }

  /**
   * A POST whose answer arrives later, so that a test can have many requests in flight at once;
   * {@code headers} are more headers, as name and value pairs.
   */
  static CompletableFuture<Answer> postAsync(
      URL base, String path, String token, String json, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(Local.uri(base, path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token);
    if (headers.length > 0) {
      builder.headers(headers);
    }
    HttpRequest request = builder.build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer);
  }

  /** A call with this exact Authorization header, e.g. another scheme than Bearer. */
  static Answer sendAuthorized(
      URL base, String method, String path, String authorization, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(Local.uri(base, path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return answer(exchange(request.build(), method + " " + path));
  }

  /** The whole exchange, within {@link #ANSWER_WAIT}; the call's name goes into its failure. */
  private static HttpResponse<String> exchange(HttpRequest request, String call)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<String>> answer =
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      return answer.get(ANSWER_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new IOException(
          call + " got no whole answer within " + ANSWER_WAIT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new IOException(call + " failed", e.getCause());
    }
  }

  /**
   * A server-level page such as /metrics or /health, outside the application's context: on the
   * application's port (Payara), or on the port in realtime.it.operator.port (WildFly's management
   * interface).
   */
  /** A gauge's value in the text of /metrics, with or without tags. */
  static int gauge(String metrics, String name) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in /metrics"));
  }

  /**
   * A counter's value; 0 while it is not in /metrics, as the server registers a counter at its
   * first increment.
   */
  static int counter(String metrics, String name) {
    return metrics
            .lines()
            .anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        ? gauge(metrics, name)
        : 0;
  }

  static String serverText(URL base, String absolutePath) throws Exception {
    int port = Integer.getInteger("realtime.it.operator.port", base.getPort());
    HttpRequest request =
        HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + absolutePath))
            .GET()
            .build();
    return exchange(request, "GET " + absolutePath).body();
  }

  static Answer put(URL base, String path, String token, String json) throws Exception {
    return send(base, "PUT", path, token, json);
  }

  static Answer get(URL base, String path, String token) throws Exception {
    return send(base, "GET", path, token, null);
  }

  static Answer publish(URL base, String room, String name, String dataJson) throws Exception {
    return post(
        base,
        "api/v1/rooms/" + room + "/events",
        Tokens.valid("backend-service", "realtime:publish"),
        "{\"name\":\"" + name + "\",\"data\":" + dataJson + "}");
  }

  static String createQuote(URL base, String customerSubject) throws Exception {
    Answer created =
        post(
            base,
            "api/v1/quotes",
            Tokens.valid("agent-smith", "quote:write"),
            "{\"customerSubject\":\"" + customerSubject + "\",\"customerName\":\"Customer\"}");
    if (created.status() != 201) {
      throw new AssertionError("quote not created: " + created);
    }
    return created.body().getString("id");
  }

  /** Polls the connection's journal row until it is CLOSED (the journal writes once a second). */
  static JsonObject closedConnectionRow(URL base, String connectionId) throws Exception {
    return closedConnectionRow(base, connectionId, TestClient.WAIT);
  }

  /** Sets the fields a calculation needs over REST, each from version 0 of a new quote. */
  static void fillRateableQuote(URL base, String quote, String token) throws Exception {
    for (var field : RateableQuote.FIELDS.entrySet()) {
      Answer changed =
          put(
              base,
              "api/v1/quotes/" + quote + "/fields/" + field.getKey(),
              token,
              "{\"value\":" + field.getValue() + ",\"version\":0}");
      if (changed.status() != 200) {
        throw new AssertionError(field.getKey() + " not set: " + changed);
      }
    }
  }

  /** Polls the quote until a calculation started over REST has set its status. */
  static void awaitStatus(URL base, String quote, String token, String status) throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      seen = get(base, "api/v1/quotes/" + quote, token).body().getString("status");
      if (status.equals(seen)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("quote " + quote + " still " + seen + ", not " + status);
  }

  /** Polls the connection's journal row until it is written (the journal writes once a second). */
  static JsonObject openConnectionRow(URL base, String connectionId) throws Exception {
    String admin = Tokens.valid("operator", "admin:access");
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    Answer row = null;
    while (System.nanoTime() < deadline) {
      row = get(base, "api/v1/admin/connections/" + connectionId, admin);
      if (row.status() == 200) {
        return row.body();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("connection " + connectionId + " has no journal row: " + row);
  }

  /** The same, for a close that comes late on a loaded machine (a heartbeat or queue limit). */
  static JsonObject closedConnectionRow(URL base, String connectionId, Duration wait)
      throws Exception {
    String admin = Tokens.valid("operator", "admin:access");
    long deadline = System.nanoTime() + wait.toNanos();
    Answer row = null;
    while (System.nanoTime() < deadline) {
      row = get(base, "api/v1/admin/connections/" + connectionId, admin);
      if (row.status() == 200 && "CLOSED".equals(row.body().getString("state"))) {
        return row.body();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("connection " + connectionId + " not closed in its row: " + row);
  }

  private static Answer answer(HttpResponse<String> response) {
    String body = response.body();
    JsonObject json = null;
    if (body != null && body.startsWith("{")) {
      try (var reader = Json.createReader(new StringReader(body))) {
        json = reader.readObject();
      }
    }
    return new Answer(response.statusCode(), json, response.headers());
  }
}

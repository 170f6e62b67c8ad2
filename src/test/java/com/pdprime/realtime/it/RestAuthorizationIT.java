package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every REST endpoint refuses callers without a valid token or without the permission it needs,
 * with the documented status and code (docs/protocol.md section 11), and a refused call changes
 * nothing a subscriber could see.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestAuthorizationIT {
  private static final String TOKEN_ACTION =
      "Get a fresh token from the identity provider and send it as Authorization: Bearer <token>.";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void publishingWithoutThePublishPermissionIsForbiddenAndPublishesNothing() throws Exception {
    String room = "user:rest-victim";
    try (TestClient victim = TestClient.connect(base, Tokens.valid("rest-victim"))) {
      victim.subscribe(room);
      Api.Answer refused =
          Api.post(
              base,
              "api/v1/rooms/" + room + "/events",
              Tokens.valid("rest-intruder", "quote:write", "quote:read", "admin:access"),
              "{\"name\":\"message.posted\",\"data\":{\"text\":\"forged\"}}");
      assertError(refused, 403, "FORBIDDEN");
      assertTrue(
          refused.body().getString("message").contains("realtime:publish"),
          refused.body()::toString);

      Api.publish(base, room, "message.posted", "{\"text\":\"real\"}");
      JsonObject first = victim.events(room, 1).get(0);
      assertEquals(1, first.getJsonNumber("seq").longValue(), "the refused publish took no seq");
      assertEquals("real", first.getJsonObject("data").getString("text"));
    }
  }

  @Test
  void aCallWithoutATokenIsRefusedWithTokenMissing() throws Exception {
    Api.Answer publish =
        Api.post(
            base,
            "api/v1/rooms/user:nobody/events",
            null,
            "{\"name\":\"message.posted\",\"data\":{}}");
    assertError(publish, 401, "TOKEN_MISSING");
    assertTrue(publish.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

    String quote = Api.createQuote(base, "rest-anon-owner");
    assertError(Api.send(base, "GET", "api/v1/quotes/" + quote, null, null), 401, "TOKEN_MISSING");
    assertError(
        Api.send(base, "POST", "api/v1/quotes/" + quote + "/bind", null, null),
        401,
        "TOKEN_MISSING");
    assertError(
        Api.send(base, "GET", "api/v1/admin/connections/any", null, null), 401, "TOKEN_MISSING");
  }

  @Test
  void aForgedTokenIsRefusedWithBadSignature() throws Exception {
    PrivateKey forger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
    Instant now = Instant.now();
    String forged =
        Tokens.sign(
            forger,
            Tokens.ISSUER,
            Tokens.AUDIENCE,
            "backend-service",
            now,
            now.plusSeconds(600),
            "realtime:publish");
    Api.Answer refused =
        Api.post(
            base,
            "api/v1/rooms/user:alice/events",
            forged,
            "{\"name\":\"message.posted\",\"data\":{}}");
    assertInvalidToken(refused, "TOKEN_BAD_SIGNATURE");
  }

  @Test
  void anExpiredTokenIsRefusedWithExpired() throws Exception {
    Instant past = Instant.now().minusSeconds(3600);
    String expired =
        Tokens.sign(
            Tokens.devKey(),
            Tokens.ISSUER,
            Tokens.AUDIENCE,
            "operator",
            past,
            past.plusSeconds(60),
            "admin:access");
    assertInvalidToken(Api.get(base, "api/v1/admin/connections/any", expired), "TOKEN_EXPIRED");
  }

  @Test
  void anAuthorizationHeaderThatIsNotBearerIsRefusedAsMalformed() throws Exception {
    Api.Answer refused =
        Api.sendAuthorized(
            base, "GET", "api/v1/admin/connections/any", "Basic b3BlcmF0b3I6c2VjcmV0", null);
    assertInvalidToken(refused, "TOKEN_MALFORMED");
  }

  @Test
  void connectionRowsAreForAdminsOnly() throws Exception {
    Api.Answer refused =
        Api.get(
            base,
            "api/v1/admin/connections/any",
            Tokens.valid("rest-curious", "quote:read", "quote:write", "realtime:publish"));
    assertError(refused, 403, "FORBIDDEN");
    assertTrue(refused.body().getString("message").contains("admin:access"));
    assertError(
        Api.get(
            base, "api/v1/admin/connections/no-such-id", Tokens.valid("operator", "admin:access")),
        404,
        "NOT_FOUND");
  }

  @Test
  void creatingAQuoteNeedsQuoteWrite() throws Exception {
    Api.Answer refused =
        Api.post(
            base,
            "api/v1/quotes",
            Tokens.valid("rest-customer", "quote:read"),
            "{\"customerSubject\":\"rest-customer\",\"customerName\":\"Customer\"}");
    assertError(refused, 403, "FORBIDDEN");
    assertTrue(refused.body().getString("message").contains("quote:write"));
  }

  @Test
  void aCustomerCannotReadOrChangeAnotherCustomersQuote() throws Exception {
    String quote = Api.createQuote(base, "rest-owner");
    String stranger = Tokens.valid("rest-stranger");
    assertEquals(200, Api.get(base, "api/v1/quotes/" + quote, Tokens.valid("rest-owner")).status());

    assertError(Api.get(base, "api/v1/quotes/" + quote, stranger), 403, "FORBIDDEN_ACTION");
    assertError(
        Api.put(
            base,
            "api/v1/quotes/" + quote + "/fields/state",
            stranger,
            "{\"value\":\"TX\",\"version\":0}"),
        403,
        "FORBIDDEN_ACTION");
    assertError(
        Api.post(base, "api/v1/quotes/" + quote + "/calculate", stranger, null),
        403,
        "FORBIDDEN_ACTION");
    assertError(
        Api.post(base, "api/v1/quotes/" + quote + "/bind", stranger, null),
        403,
        "FORBIDDEN_ACTION");
    assertEquals(
        0,
        Api.get(base, "api/v1/quotes/" + quote, Tokens.valid("rest-owner"))
            .body()
            .getJsonObject("fields")
            .size(),
        "the refused change changed nothing");
  }

  @Test
  void aQuoteThatDoesNotExistIsNotFoundOnlyForHoldersOfQuoteRead() throws Exception {
    String missing = "api/v1/quotes/00000000-0000-4000-8000-000000000000";
    assertError(Api.get(base, missing, Tokens.valid("rest-prober")), 403, "FORBIDDEN_ACTION");
    assertError(Api.get(base, missing, Tokens.valid("rest-agent", "quote:read")), 404, "NOT_FOUND");
  }

  @Test
  void anAgentWithoutQuoteWriteCanReadButNotChange() throws Exception {
    String quote = Api.createQuote(base, "rest-readonly-owner");
    String reader = Tokens.valid("rest-readonly-agent", "quote:read");
    assertEquals(200, Api.get(base, "api/v1/quotes/" + quote, reader).status());

    Api.Answer change =
        Api.put(
            base,
            "api/v1/quotes/" + quote + "/fields/state",
            reader,
            "{\"value\":\"TX\",\"version\":0}");
    assertError(change, 403, "FORBIDDEN_ACTION");
    assertTrue(change.body().getString("message").contains("quote:write"), change.body()::toString);
    assertError(
        Api.post(base, "api/v1/quotes/" + quote + "/calculate", reader, null),
        403,
        "FORBIDDEN_ACTION");
    assertError(
        Api.post(base, "api/v1/quotes/" + quote + "/bind", reader, null), 403, "FORBIDDEN_ACTION");
  }

  @Test
  void aBoundQuoteCanNoLongerBeChangedRecalculatedOrBoundAgain() throws Exception {
    String quote = Api.createQuote(base, "rest-binder");
    String owner = Tokens.valid("rest-binder");
    assertError(
        Api.post(base, "api/v1/quotes/" + quote + "/bind", owner, null), 409, "QUOTE_NOT_QUOTED");
    Api.fillRateableQuote(base, quote, owner);
    assertEquals(
        202, Api.post(base, "api/v1/quotes/" + quote + "/calculate", owner, null).status());
    Api.awaitStatus(base, quote, owner, "QUOTED");
    JsonObject withPremium =
        Api.get(
                base,
                "api/v1/quotes/" + quote,
                Tokens.valid("rest-uw", "quote:read", "premium:view"))
            .body();
    assertTrue(withPremium.containsKey("premium"), withPremium::toString);
    assertFalse(
        Api.get(base, "api/v1/quotes/" + quote, owner).body().containsKey("premium"),
        "the customer has no premium:view");

    Api.Answer bound = Api.post(base, "api/v1/quotes/" + quote + "/bind", owner, null);
    assertEquals(200, bound.status(), () -> String.valueOf(bound.body()));
    assertEquals("BOUND", bound.body().getString("status"));

    assertError(
        Api.put(
            base,
            "api/v1/quotes/" + quote + "/fields/state",
            owner,
            "{\"value\":\"CA\",\"version\":1}"),
        409,
        "QUOTE_NOT_EDITABLE");
    assertError(
        Api.post(base, "api/v1/quotes/" + quote + "/calculate", owner, null),
        409,
        "QUOTE_NOT_EDITABLE");
    assertError(
        Api.post(base, "api/v1/quotes/" + quote + "/bind", owner, null), 409, "QUOTE_NOT_EDITABLE");
    JsonObject after = Api.get(base, "api/v1/quotes/" + quote, owner).body();
    assertEquals("BOUND", after.getString("status"));
    assertEquals("OH", after.getJsonObject("fields").getJsonObject("state").getString("value"));
  }

  @Test
  void anEventOverTheSizeLimitIsRefusedWith413AndNotPublished() throws Exception {
    String room = "user:rest-big";
    try (TestClient receiver = TestClient.connect(base, Tokens.valid("rest-big"))) {
      receiver.subscribe(room);
      Api.Answer refused =
          Api.post(
              base,
              "api/v1/rooms/" + room + "/events",
              Tokens.valid("backend-service", "realtime:publish"),
              "{\"name\":\"bulk.item\",\"data\":{\"pad\":\"" + "z".repeat(65_537) + "\"}}");
      assertError(refused, 413, "EVENT_TOO_LARGE");
      Api.publish(base, room, "bulk.item", "{\"pad\":\"small\"}");
      JsonObject first = receiver.events(room, 1).get(0);
      assertEquals(1, first.getJsonNumber("seq").longValue(), "the refused event took no seq");
      assertEquals("small", first.getJsonObject("data").getString("pad"));
    }
  }

  private static void assertInvalidToken(Api.Answer refused, String code) {
    assertError(refused, 401, code);
    assertEquals(TOKEN_ACTION, refused.body().getString("action"));
    assertEquals(
        "Bearer error=\"invalid_token\"",
        refused.headers().firstValue("WWW-Authenticate").orElse(null));
  }

  /**
   * Development tokens (docs/protocol.md §11.2) are minted for a caller on this machine's loopback
   * and refused to one that reaches the server over another of its addresses, as a caller on the
   * network would.
   */
  @Test
  void developmentTokensAreMintedForLoopbackCallersOnly() throws Exception {
    String request =
        "{\"subject\":\"dev-caller\",\"name\":\"Dev Caller\",\"permissions\":[],"
            + "\"ttlSeconds\":60}";
    Api.Answer minted = Api.post(base, "api/v1/dev/tokens", null, request);
    assertEquals(200, minted.status(), () -> "body: " + minted.body());
    try (TestClient client = TestClient.connect(base, minted.body().getString("token"))) {
      assertEquals("pong", client.reply(client.send("ping", "")).getString("type"));
    }

    InetAddress outside = nonLoopbackAddress();
    Assumptions.assumeTrue(outside != null, "this machine has no address but loopback");
    HttpResponse<String> refused;
    try {
      refused =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://"
                                  + outside.getHostAddress()
                                  + ":"
                                  + base.getPort()
                                  + Local.CONTEXT
                                  + "api/v1/dev/tokens"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(request))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException loopbackOnly) {
      Assumptions.abort(
          "the server listens on loopback only, so no caller off loopback reaches it: "
              + loopbackOnly);
      return;
    }
    assertEquals(403, refused.statusCode(), refused::body);
    assertTrue(refused.body().contains("\"DEV_TOKENS_LOOPBACK_ONLY\""), refused::body);
  }

  private static InetAddress nonLoopbackAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .findFirst()
        .orElse(null);
  }

  private static void assertError(Api.Answer answer, int status, String code) {
    assertEquals(status, answer.status(), () -> "body: " + answer.body());
    JsonObject body = answer.body();
    assertTrue(body != null, "the error has a JSON body");
    assertEquals(code, body.getString("code"), body::toString);
    assertFalse(body.getString("message").isBlank(), body::toString);
    assertFalse(body.getString("action").isBlank(), body::toString);
  }
}

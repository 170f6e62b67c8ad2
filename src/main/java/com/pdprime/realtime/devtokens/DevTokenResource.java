package com.pdprime.realtime.devtokens;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.security.JwtVerifier;
import com.pdprime.realtime.security.LogSafe;
import com.pdprime.realtime.security.TokenVerification;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /api/v1/dev/tokens} mints a demo token: {@code {subject, name, permissions,
 * ttlSeconds}}, with the permissions where the configured identity provider puts them. It answers
 * 404 outside development mode, so it does not exist in production, and 403 to anyone but a
 * loopback caller (the socket's peer, never a forwarded address), so even a development server
 * reachable from a network mints nothing for it.
 */
@Path("dev/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class DevTokenResource {
  /**
   * A demo token lives at most a day: long enough for a demo, short enough to be useless leaked.
   */
  static final int MAX_TTL_SECONDS = 86_400;

  /** A demo token must pass the verifier, which bounds subjects and names the same way. */
  static final int MAX_TEXT_CHARS = JwtVerifier.MAX_TEXT_CLAIM_CHARS;

  static final int MAX_PERMISSIONS = 50;

  @Inject DevelopmentSigningKey signingKey;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.audiences")
  String audiences;

  @Inject TokenVerification tokens;

  @Context HttpServletRequest request;

  @POST
  public Response mint(JsonObject body) {
    Optional<PrivateKey> key = signingKey.key();
    if (key.isEmpty()) {
      return ApiError.response(
          404,
          "NOT_FOUND",
          "token minting exists only in development mode",
          "Get tokens from the identity provider.");
    }
    if (!isLoopback(request.getRemoteAddr())) {
      return ApiError.response(
          403,
          "DEV_TOKENS_LOOPBACK_ONLY",
          "demo tokens are minted only for callers on this machine",
          "Mint the token on the server's host, or use the identity provider.");
    }
    if (body == null) {
      return ApiError.missingField("subject", "Send {subject, name, permissions, ttlSeconds}.");
    }
    Optional<Response> invalid =
        text(body, "subject", "Send the subject (user id) as a string.")
            .or(() -> text(body, "name", "Send the display name as a string."));
    if (invalid.isPresent()) {
      return invalid.get();
    }
    String subject = body.getString("subject");
    String name = body.getString("name");
    if (!(body.get("permissions") instanceof JsonArray permissions)) {
      return ApiError.missingField("permissions", "Send an array of permission names, may be [].");
    }
    if (permissions.size() > MAX_PERMISSIONS) {
      return ApiError.invalidField(
          "permissions",
          "must hold at most " + MAX_PERMISSIONS + " names",
          "Send the permissions the demo needs.");
    }
    List<String> groups = new ArrayList<>();
    for (JsonValue permission : permissions) {
      if (!(permission instanceof JsonString text)
          || text.getString().isBlank()
          || text.getString().contains(" ")
          || text.getString().length() > MAX_TEXT_CHARS
          || LogSafe.hasControlCharacters(text.getString())) {
        return ApiError.invalidField(
            "permissions",
            "must hold permission names: strings without spaces or control characters",
            "Send names such as quote:read.");
      }
      groups.add(text.getString());
    }
    if (!(body.get("ttlSeconds") instanceof JsonNumber ttl)
        || !ttl.isIntegral()
        || ttl.bigDecimalValue().compareTo(BigDecimal.ONE) < 0
        || ttl.bigDecimalValue().compareTo(BigDecimal.valueOf(MAX_TTL_SECONDS)) > 0) {
      return ApiError.invalidField(
          "ttlSeconds",
          "must be an integer from 1 to " + MAX_TTL_SECONDS,
          "Send how long the token lives, in seconds.");
    }
    Instant now = Instant.now();
    Instant expires = now.plusSeconds(ttl.longValue());
    String audience = audiences.split(",")[0].trim();
    try {
      String token =
          TokenSigner.sign(
              key.get(),
              new TokenSigner.Claims(issuer, audience, subject, name, groups, now, expires),
              tokens.permissionsClaim());
      return Response.ok(
              JSON.createObjectBuilder()
                  .add("token", token)
                  .add("expiresAt", expires.toString())
                  .build())
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the development key cannot sign", e);
    }
  }

  /** A required string field: present, not blank, bounded, without control characters. */
  private static Optional<Response> text(JsonObject body, String field, String action) {
    if (!(body.get(field) instanceof JsonString value) || value.getString().isBlank()) {
      return Optional.of(ApiError.missingField(field, action));
    }
    if (value.getString().length() > MAX_TEXT_CHARS
        || LogSafe.hasControlCharacters(value.getString())) {
      return Optional.of(
          ApiError.invalidField(
              field,
              "must be at most " + MAX_TEXT_CHARS + " characters without control characters",
              action));
    }
    return Optional.empty();
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package com.pdprime.realtime.devtokens;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /api/v1/dev/tokens} mints a demo token: {@code {subject, name, permissions,
 * ttlSeconds}}. It answers 404 unless the development signing key is configured, so it does not
 * exist in production.
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

  @Inject DevelopmentSigningKey signingKey;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.audiences")
  String audiences;

  @POST
  public Response mint(JsonObject body) {
    Optional<PrivateKey> key = signingKey.key();
    if (key.isEmpty()) {
      return ApiError.response(
          404,
          "NOT_FOUND",
          "token minting exists only with the development signing key",
          "Get tokens from the identity provider.");
    }
    if (body == null) {
      return ApiError.missingField("subject", "Send {subject, name, permissions, ttlSeconds}.");
    }
    if (!(body.get("subject") instanceof JsonString subject) || subject.getString().isBlank()) {
      return ApiError.missingField("subject", "Send the subject (user id) as a string.");
    }
    if (!(body.get("name") instanceof JsonString name) || name.getString().isBlank()) {
      return ApiError.missingField("name", "Send the display name as a string.");
    }
    if (!(body.get("permissions") instanceof JsonArray permissions)) {
      return ApiError.missingField("permissions", "Send an array of permission names, may be [].");
    }
    List<String> groups = new ArrayList<>();
    for (JsonValue permission : permissions) {
      if (!(permission instanceof JsonString text)) {
        return ApiError.invalidField(
            "permissions", "must hold strings only", "Remove non-strings.");
      }
      groups.add(text.getString());
    }
    if (!(body.get("ttlSeconds") instanceof JsonNumber ttl)
        || !ttl.isIntegral()
        || ttl.longValue() < 1
        || ttl.longValue() > MAX_TTL_SECONDS) {
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
              new TokenSigner.Claims(
                  issuer, audience, subject.getString(), name.getString(), groups, now, expires));
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
}

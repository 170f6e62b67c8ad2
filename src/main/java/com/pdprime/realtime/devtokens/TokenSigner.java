package com.pdprime.realtime.devtokens;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Signs RS256 JWTs with the development key; the same claims an identity provider would issue. */
public final class TokenSigner {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /** The claims of a minted token. */
  public record Claims(
      String issuer,
      String audience,
      String subject,
      String name,
      List<String> groups,
      Instant issuedAt,
      Instant expiresAt) {}

  private TokenSigner() {}

  public static String sign(PrivateKey key, Claims claims) throws GeneralSecurityException {
    JsonArrayBuilder groups = JSON.createArrayBuilder();
    claims.groups().forEach(groups::add);
    String header =
        JSON.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").build().toString();
    String payload =
        JSON.createObjectBuilder()
            .add("iss", claims.issuer())
            .add("aud", claims.audience())
            .add("sub", claims.subject())
            .add("upn", claims.subject())
            .add("name", claims.name())
            .add("groups", groups)
            .add("iat", claims.issuedAt().getEpochSecond())
            .add("nbf", claims.issuedAt().getEpochSecond())
            .add("exp", claims.expiresAt().getEpochSecond())
            .add("jti", UUID.randomUUID().toString())
            .build()
            .toString();
    String signingInput = encode(header) + "." + encode(payload);
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + BASE64URL.encodeToString(rsa.sign());
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}

package com.pdprime.realtime.it;

import com.pdprime.realtime.devtokens.TokenSigner;
import com.pdprime.realtime.security.PermissionsClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Tokens for the tests, signed with the repository's DEVELOPMENT-ONLY key (the one the test server
 * trusts) or deliberately wrong: expired, other issuer, other audience, other key.
 */
final class Tokens {
  static final String ISSUER = "https://dev.pdprime.local/issuer";
  static final String AUDIENCE = "pdprime-realtime";

  private Tokens() {}

  static String valid(String subject, String... permissions) {
    Instant now = Instant.now();
    return sign(devKey(), ISSUER, AUDIENCE, subject, now, now.plusSeconds(600), permissions);
  }

  static String sign(
      PrivateKey key,
      String issuer,
      String audience,
      String subject,
      Instant notBefore,
      Instant expires,
      String... permissions) {
    try {
      return TokenSigner.sign(
          key,
          new TokenSigner.Claims(
              issuer,
              audience,
              subject,
              subject + " (test)",
              List.of(permissions),
              notBefore,
              expires));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid token shaped as Keycloak issues it: the permissions are realm roles. */
  static String keycloak(String subject, String... realmRoles) {
    Instant now = Instant.now();
    try {
      return TokenSigner.sign(
          devKey(),
          new TokenSigner.Claims(
              ISSUER,
              AUDIENCE,
              subject,
              subject + " (test)",
              List.of(realmRoles),
              now,
              now.plusSeconds(600)),
          PermissionsClaim.parse("realm_access.roles", "array"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static PrivateKey devKey() {
    try {
      String pem =
          Files.readString(
              Path.of(
                  System.getProperty("realtime.it.config.dir"),
                  "dev",
                  "DEVELOPMENT-ONLY-private-key.pem"));
      String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the development key", e);
    }
  }
}

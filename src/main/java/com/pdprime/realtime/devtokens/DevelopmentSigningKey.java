package com.pdprime.realtime.devtokens;

import com.pdprime.realtime.security.TokenVerification;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Development mode, which fails safe: it exists only when {@code realtime.dev.mode=true} says so,
 * and then the server trusts the development key and nothing else, so demo tokens can never sit
 * beside a production trust anchor. Outside it the server refuses to start while the development
 * private key is configured or its public key is trusted. Checked at start, before any request.
 */
@ApplicationScoped
public class DevelopmentSigningKey {
  private static final Logger LOG = Logger.getLogger(DevelopmentSigningKey.class.getName());

  /**
   * SHA-256 of the public key in server-config/dev/DEVELOPMENT-ONLY-public-key.pem (its DER form).
   * Known here so a deployment that trusts it by mistake is recognised whatever it names the file.
   */
  static final String DEVELOPMENT_PUBLIC_KEY_SHA256 =
      "65e3dfdb28e64c93c4cdc66cf61e043899039890b8a2513fde44e9a07dfc7466";

  @Inject
  @ConfigProperty(name = "realtime.dev.mode")
  boolean developmentMode;

  @Inject
  @ConfigProperty(name = "realtime.dev.signing-key.location")
  Optional<String> location;

  @Inject TokenVerification tokens;

  private PrivateKey key;

  void checkAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    // Observing the start instantiates the bean: @PostConstruct runs the checks.
  }

  @PostConstruct
  void check() {
    Set<String> trusted = tokens.trustedKeyFingerprints();
    if (!developmentMode) {
      if (location.isPresent()) {
        throw new IllegalStateException(
            "realtime.dev.signing-key.location is set but realtime.dev.mode is not true: remove"
                + " the development key from this deployment");
      }
      if (trusted.contains(DEVELOPMENT_PUBLIC_KEY_SHA256)) {
        throw new IllegalStateException(
            "the server trusts the public DEVELOPMENT key (server-config/dev/), which signs"
                + " anything for anyone: configure the identity provider's key instead");
      }
      return;
    }
    key =
        load(
            location.orElseThrow(
                () ->
                    new IllegalStateException(
                        "realtime.dev.mode=true needs realtime.dev.signing-key.location")));
    String own = fingerprint(key);
    if (!trusted.equals(Set.of(own))) {
      throw new IllegalStateException(
          "development mode must trust the development key and nothing else, but"
              + " mp.jwt.verify.publickey(.location) names other keys: a production trust anchor"
              + " never runs beside token minting");
    }
    LOG.warning(
        "DEVELOPMENT MODE: demo tokens are minted with the key from "
            + location.get()
            + " for loopback callers. Never run it where anyone else can connect. Mint one with:\n"
            + "  curl -s -X POST http://localhost:8080/api/v1/dev/tokens"
            + " -H 'Content-Type: application/json'"
            + " -d '{\"subject\":\"alice\",\"name\":\"Alice\",\"permissions\":[],"
            + "\"ttlSeconds\":3600}'\n"
            + "  then open ws://localhost:8080/ws with subprotocols"
            + " [\"pdprime.realtime.v1\", \"bearer.<token>\"] (docs/protocol.md).");
  }

  /** Present only in development mode. */
  public Optional<PrivateKey> key() {
    return Optional.ofNullable(key);
  }

  private static PrivateKey load(String location) {
    try {
      String pem = Files.readString(Path.of(location));
      String base64 =
          pem.replace("-----BEGIN PRIVATE KEY-----", "")
              .replace("-----END PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "realtime.dev.signing-key.location " + location + " is not a readable PKCS#8 RSA key", e);
    }
  }

  private static String fingerprint(PrivateKey key) {
    try {
      RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
      return TokenVerification.fingerprint(
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalStateException("the development key is not an RSA CRT private key", e);
    }
  }
}

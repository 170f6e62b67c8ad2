package com.pdprime.realtime.devtokens;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The development signing key, present only when {@code realtime.dev.signing-key.location} names a
 * PKCS#8 PEM file. Production never sets it; without it no token can be minted here.
 */
@ApplicationScoped
public class DevelopmentSigningKey {
  private static final Logger LOG = Logger.getLogger(DevelopmentSigningKey.class.getName());

  @Inject
  @ConfigProperty(name = "realtime.dev.signing-key.location")
  Optional<String> location;

  private PrivateKey key;

  @PostConstruct
  void load() {
    if (location.isEmpty()) {
      return;
    }
    try {
      String pem = Files.readString(Path.of(location.get()));
      String base64 =
          pem.replace("-----BEGIN PRIVATE KEY-----", "")
              .replace("-----END PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      LOG.warning(
          "DEVELOPMENT signing key loaded from "
              + location.get()
              + ". Never configure it in production. Mint a demo token with:\n"
              + "  curl -s -X POST http://localhost:8080/api/v1/dev/tokens"
              + " -H 'Content-Type: application/json'"
              + " -d '{\"subject\":\"alice\",\"name\":\"Alice\",\"permissions\":[],"
              + "\"ttlSeconds\":3600}'\n"
              + "  then open ws://localhost:8080/ws with subprotocols"
              + " [\"pdprime.realtime.v1\", \"bearer.<token>\"] (docs/protocol.md).");
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "realtime.dev.signing-key.location is set but "
              + location.get()
              + " is not a readable"
              + " PKCS#8 RSA private key",
          e);
    }
  }

  /**
   * Loads the key at start, so the minting instructions are printed and a bad key stops start-up.
   */
  public boolean present() {
    return key != null;
  }

  public Optional<PrivateKey> key() {
    return Optional.ofNullable(key);
  }
}

package com.pdprime.realtime.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The WebSocket handshake's token check, configured by the same {@code mp.jwt.verify.*} keys as
 * MicroProfile JWT so REST and WebSocket trust exactly the same keys, issuer and audiences. A
 * missing key, issuer or audience stops the application from starting: there is no default trust.
 */
@ApplicationScoped
public class TokenVerification {
  @Inject
  @ConfigProperty(name = "mp.jwt.verify.publickey")
  Optional<String> publicKey;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.publickey.location")
  Optional<String> publicKeyLocation;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.audiences")
  String audiences;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.clock.skew")
  int clockSkewSeconds;

  private JwtVerifier verifier;

  @PostConstruct
  void configure() {
    String keyText =
        publicKey.orElseGet(
            () ->
                read(
                    publicKeyLocation.orElseThrow(
                        () ->
                            new IllegalStateException(
                                "set mp.jwt.verify.publickey or mp.jwt.verify.publickey.location:"
                                    + " without a trusted key no token can be verified"))));
    Set<String> audienceSet =
        Arrays.stream(audiences.split(","))
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .collect(Collectors.toSet());
    verifier =
        new JwtVerifier(
            VerificationKeys.parse(keyText),
            issuer,
            audienceSet,
            Duration.ofSeconds(clockSkewSeconds),
            Clock.systemUTC());
  }

  /**
   * Forces the configuration check at start, so a deployment without a trusted key never starts.
   */
  public void requireConfigured() {
    if (verifier == null) {
      throw new IllegalStateException("token verification is not configured");
    }
  }

  public Caller verify(String token) throws TokenRejected {
    return verifier.verify(token);
  }

  private static String read(String location) {
    try {
      if (location.contains("://") || location.startsWith("file:")) {
        try (InputStream in = URI.create(location).toURL().openStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      String resource = location.startsWith("/") ? location.substring(1) : location;
      try (InputStream in =
          Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
        if (in != null) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(Path.of(location));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the JWT verification key at " + location, e);
    }
  }
}

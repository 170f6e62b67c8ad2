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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one token check of the WebSocket handshake and of REST, configured by the {@code
 * mp.jwt.verify.*} keys operators know from MicroProfile JWT and by where the identity provider
 * puts permissions ({@code realtime.security.permissions-claim}). A missing key, issuer or audience
 * stops the application from starting: there is no default trust.
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

  @Inject
  @ConfigProperty(name = "realtime.security.permissions-claim")
  String permissionsClaim;

  @Inject
  @ConfigProperty(name = "realtime.security.permissions-format")
  String permissionsFormat;

  private JwtVerifier verifier;
  private VerificationKeys keys;
  private PermissionsClaim permissions;

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
    permissions = PermissionsClaim.parse(permissionsClaim, permissionsFormat);
    Set<String> audienceSet =
        Arrays.stream(audiences.split(","))
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .collect(Collectors.toSet());
    keys = VerificationKeys.parse(keyText);
    verifier =
        new JwtVerifier(
            keys,
            issuer,
            audienceSet,
            Duration.ofSeconds(clockSkewSeconds),
            Clock.systemUTC(),
            permissions);
  }

  /**
   * Forces the configuration check at start, so a deployment without a trusted key never starts.
   */
  public void requireConfigured() {
    if (verifier == null) {
      throw new IllegalStateException("token verification is not configured");
    }
  }

  /** SHA-256 (hex) of each trusted key's DER encoding, to recognise a key whatever its source. */
  public Set<String> trustedKeyFingerprints() {
    return keys.all().stream().map(TokenVerification::fingerprint).collect(Collectors.toSet());
  }

  public static String fingerprint(PublicKey key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Where tokens carry permissions; development tokens are minted the same way. */
  public PermissionsClaim permissionsClaim() {
    return permissions;
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

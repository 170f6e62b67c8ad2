package com.pdprime.realtime.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
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
  private static final Logger LOG = Logger.getLogger(TokenVerification.class.getName());

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

  @Inject
  @ConfigProperty(name = "realtime.security.verified-tokens.max-entries")
  int verifiedTokensMaxEntries;

  /**
   * A key the identity provider rotated in is looked for at most once a minute, however many
   * unknown {@code kid}s arrive: a rotation is rare, and forged kids must not make every request
   * fetch the JWKS.
   */
  private static final String BEARER = "Bearer ";

  static final Duration KEY_RELOAD_INTERVAL = Duration.ofSeconds(60);

  /** An identity provider that does not answer in 10 s is down; start-up and reloads say so. */
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

  Clock clock = Clock.systemUTC();

  private volatile VerifiedTokens verifier;
  private volatile VerificationKeys keys;
  private PermissionsClaim permissions;
  private Set<String> audienceSet;
  private Instant lastKeyLoad;

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
    audienceSet =
        Arrays.stream(audiences.split(","))
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .collect(Collectors.toSet());
    trust(VerificationKeys.parse(keyText));
    lastKeyLoad = clock.instant();
  }

  private void trust(VerificationKeys trusted) {
    keys = trusted;
    // A fresh memory of verified tokens with every key set: a token signed with a key that is no
    // longer trusted must not stay accepted from memory.
    Duration clockSkew = Duration.ofSeconds(clockSkewSeconds);
    verifier =
        new VerifiedTokens(
            new JwtVerifier(trusted, issuer, audienceSet, clockSkew, clock, permissions)::verify,
            clock,
            clockSkew,
            verifiedTokensMaxEntries);
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

  /**
   * Verifies a token, or finds it among the tokens verified before ({@link VerifiedTokens}: until
   * their expiry, never a refused one). A token signed with a key this instance has not seen
   * ({@code UNKNOWN_KEY}) makes it re-read the key location once, as an identity provider rotating
   * its keys requires.
   */
  public Caller verify(String token) throws TokenRejected {
    try {
      return verifier.verify(token);
    } catch (TokenRejected rejected) {
      if (rejected.reason() != TokenRejected.Reason.UNKNOWN_KEY || !reloadKeys()) {
        throw rejected;
      }
      return verifier.verify(token);
    }
  }

  /**
   * Verifies an {@code Authorization} value, {@code Bearer <token>} (the scheme in any case), as
   * REST requests send it in a header and publish-queue messages in a property.
   */
  public Caller verifyBearer(String authorization) throws TokenRejected {
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new TokenRejected(
          TokenRejected.Reason.MALFORMED, "the Authorization value is not 'Bearer <token>'");
    }
    return verify(authorization.substring(BEARER.length()).trim());
  }

  /** True when the keys were re-read (changed or not); false when it was too soon or failed. */
  private synchronized boolean reloadKeys() {
    if (publicKey.isPresent() || publicKeyLocation.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    if (now.isBefore(lastKeyLoad.plus(KEY_RELOAD_INTERVAL))) {
      return false;
    }
    lastKeyLoad = now;
    try {
      trust(VerificationKeys.parse(read(publicKeyLocation.get())));
      LOG.info("trusted keys re-read from " + publicKeyLocation.get() + " for an unknown kid");
      return true;
    } catch (IllegalStateException e) {
      LOG.warning(
          "re-reading the trusted keys from "
              + publicKeyLocation.get()
              + " failed; the current keys stay: "
              + e.getMessage());
      return false;
    }
  }

  private static String read(String location) {
    try {
      if (location.startsWith("http://") || location.startsWith("https://")) {
        HttpResponse<String> answer =
            HttpClient.newBuilder()
                .connectTimeout(FETCH_TIMEOUT)
                .build()
                .send(
                    HttpRequest.newBuilder(URI.create(location)).timeout(FETCH_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
          throw new IOException("HTTP " + answer.statusCode());
        }
        return answer.body();
      }
      if (location.startsWith("file:")) {
        return Files.readString(Path.of(URI.create(location)));
      }
      String resource = location.startsWith("/") ? location.substring(1) : location;
      try (InputStream in =
          Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
        if (in != null) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(Path.of(location));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot read the JWT verification key at " + location, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the JWT verification key", e);
    }
  }
}

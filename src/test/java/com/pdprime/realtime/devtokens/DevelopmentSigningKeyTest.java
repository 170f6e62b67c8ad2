package com.pdprime.realtime.devtokens;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.security.TokenVerification;
import java.security.KeyPairGenerator;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Development mode fails safe at start: outside it the development key may be neither configured
 * nor trusted, and inside it the development key is the only one trusted. No token is minted
 * outside it.
 */
class DevelopmentSigningKeyTest {
  private static final String DEVELOPMENT_KEY =
      "server-config/dev/DEVELOPMENT-ONLY-private-key.pem";

  /** Trusts exactly the keys with these fingerprints. */
  private static TokenVerification trusting(Set<String> fingerprints) {
    return new TokenVerification() {
      @Override
      public Set<String> trustedKeyFingerprints() {
        return fingerprints;
      }
    };
  }

  private static String anotherKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return TokenVerification.fingerprint(generator.generateKeyPair().getPublic());
  }

  private static DevelopmentSigningKey checked(
      boolean developmentMode, Optional<String> location, Set<String> trusted) {
    DevelopmentSigningKey key = new DevelopmentSigningKey();
    key.developmentMode = developmentMode;
    key.location = location;
    key.tokens = trusting(trusted);
    key.check();
    return key;
  }

  private static String refusal(
      boolean developmentMode, Optional<String> location, Set<String> trusted) {
    return assertThrows(
            IllegalStateException.class, () -> checked(developmentMode, location, trusted))
        .getMessage();
  }

  @Test
  void outsideDevelopmentModeNoTokenIsMintedWithTheIdentityProvidersKey() throws Exception {
    assertTrue(checked(false, Optional.empty(), Set.of(anotherKey())).key().isEmpty());
  }

  @Test
  void outsideDevelopmentModeTheStartIsRefusedIfTheDevelopmentKeyIsConfiguredOrTrusted()
      throws Exception {
    String configured = refusal(false, Optional.of(DEVELOPMENT_KEY), Set.of(anotherKey()));
    assertTrue(configured.contains("realtime.dev.signing-key.location"), configured);
    String trusted =
        refusal(
            false,
            Optional.empty(),
            Set.of(anotherKey(), DevelopmentSigningKey.DEVELOPMENT_PUBLIC_KEY_SHA256));
    assertTrue(trusted.contains("DEVELOPMENT key"), trusted);
  }

  @Test
  void developmentModeTrustsTheDevelopmentKeyAndNothingElse() throws Exception {
    String development = DevelopmentSigningKey.DEVELOPMENT_PUBLIC_KEY_SHA256;
    assertTrue(checked(true, Optional.of(DEVELOPMENT_KEY), Set.of(development)).key().isPresent());
    String beside = refusal(true, Optional.of(DEVELOPMENT_KEY), Set.of(development, anotherKey()));
    assertTrue(beside.contains("nothing else"), beside);
    String without = refusal(true, Optional.empty(), Set.of(development));
    assertTrue(without.contains("needs realtime.dev.signing-key.location"), without);
  }
}

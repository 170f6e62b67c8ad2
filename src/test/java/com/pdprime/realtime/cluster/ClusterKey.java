package com.pdprime.realtime.cluster;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;

/**
 * The identity provider's key of the cluster under test: a key pair made afresh for each test run,
 * held in memory and never written but for its public half, which the instances trust as a
 * production deployment trusts its identity provider's. The instances run outside development mode,
 * so the repository's development key is not trusted and no token is minted.
 */
final class ClusterKey {
  private static final KeyPair PAIR = generate();

  private ClusterKey() {}

  static PrivateKey signing() {
    return PAIR.getPrivate();
  }

  /** The public key as {@code mp.jwt.verify.publickey.location} reads it: PEM, X.509 encoded. */
  static String publicPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(PAIR.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime makes RSA keys", e);
    }
  }
}

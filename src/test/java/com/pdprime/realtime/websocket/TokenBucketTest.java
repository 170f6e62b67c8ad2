package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long START = 123_456_789L; // nanoTime has an arbitrary origin

  @Test
  void burstIsAvailableAtOnceThenRefused() {
    TokenBucket bucket = new TokenBucket(2, 5, START);
    for (int i = 0; i < 5; i++) {
      assertTrue(bucket.tryTake(START), "command " + (i + 1) + " of the burst");
    }
    assertFalse(bucket.tryTake(START));
    assertFalse(bucket.tryTake(START));
  }

  @Test
  void refillsAtTheConfiguredRate() {
    TokenBucket bucket = new TokenBucket(2, 1, START);
    assertTrue(bucket.tryTake(START));
    assertFalse(bucket.tryTake(START + SECOND / 4)); // half a token so far
    assertTrue(bucket.tryTake(START + SECOND / 2 + 1)); // one token after 1/rate seconds
    assertFalse(bucket.tryTake(START + SECOND / 2 + 2));
  }

  @Test
  void refusedAttemptsDoNotUseUpTheRefill() {
    TokenBucket bucket = new TokenBucket(1, 1, START);
    assertTrue(bucket.tryTake(START));
    for (long t = START; t < START + SECOND; t += SECOND / 10) {
      assertFalse(bucket.tryTake(t));
    }
    assertTrue(bucket.tryTake(START + SECOND + 1));
  }

  @Test
  void idleTimeRefillsNoMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 3, START);
    for (int i = 0; i < 3; i++) {
      assertTrue(bucket.tryTake(START));
    }
    long later = START + 3_600 * SECOND; // an hour idle
    for (int i = 0; i < 3; i++) {
      assertTrue(bucket.tryTake(later));
    }
    assertFalse(bucket.tryTake(later));
  }

  @Test
  void fractionalRatesRefillSlowly() {
    TokenBucket bucket = new TokenBucket(0.5, 1, START);
    assertTrue(bucket.tryTake(START));
    assertFalse(bucket.tryTake(START + SECOND + SECOND / 2));
    assertTrue(bucket.tryTake(START + 2 * SECOND + 1));
  }
}

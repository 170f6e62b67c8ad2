package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PongWatermarkTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long INTERVAL = 25 * SECOND;
  private static final long DEADLINE = 35 * SECOND;
  private static final long CAP = 70 * SECOND;
  // nanoTime has an arbitrary origin, negative included.
  private static final long START = -5_000 * SECOND;
  private static final int SLICE = 3;
  private static final int OTHER_SLICE = 4;

  private final PongWatermark watermark = new PongWatermark(25, INTERVAL, CAP, START);

  @Test
  void aClientSilentWhileLaterPingedClientsAnsweredIsClosedAtItsDeadline() {
    long heardAt = START + 10 * SECOND;
    long now = heardAt + DEADLINE + SECOND;
    watermark.pinged(OTHER_SLICE, heardAt + INTERVAL + SECOND);
    watermark.echoed(heardAt + INTERVAL + SECOND, heardAt + INTERVAL + 2 * SECOND);

    assertTrue(watermark.silentPastDeadline(SLICE, heardAt, now - heardAt, DEADLINE));
  }

  @Test
  void noClientIsClosedBeforeItsDeadline() {
    long heardAt = START + 10 * SECOND;
    watermark.pinged(OTHER_SLICE, heardAt + INTERVAL + SECOND);
    watermark.echoed(heardAt + INTERVAL + SECOND, heardAt + INTERVAL + 2 * SECOND);

    assertFalse(watermark.silentPastDeadline(SLICE, heardAt, DEADLINE, DEADLINE));
  }

  /** The overload of bench/RESULTS.md: pongs read 32 s late, 9 s allowed. */
  @Test
  void aClientPastItsDeadlineStaysWhileTheServerHasNotReadThePongsOfLaterPings() {
    long heardAt = START + 10 * SECOND;
    long now = heardAt + DEADLINE + 9 * SECOND;
    watermark.pinged(OTHER_SLICE, heardAt + INTERVAL + SECOND);
    watermark.pinged(OTHER_SLICE + 1, now - SECOND);
    // The newest pong read so far answers a ping sent before this client's ping.
    watermark.echoed(heardAt + 2 * SECOND, now - SECOND);

    assertFalse(watermark.silentPastDeadline(SLICE, heardAt, now - heardAt, DEADLINE));

    watermark.echoed(heardAt + INTERVAL + SECOND, now);
    assertTrue(
        watermark.silentPastDeadline(SLICE, heardAt, now - heardAt, DEADLINE),
        "once later pings' pongs are read, its silence is its own");
  }

  @Test
  void withNoOtherClientPingedTheDeadlineAloneDecides() {
    long heardAt = START + 10 * SECOND;
    long now = heardAt + DEADLINE + SECOND;
    watermark.pinged(SLICE, heardAt + INTERVAL);

    assertTrue(watermark.silentPastDeadline(SLICE, heardAt, now - heardAt, DEADLINE));
  }

  @Test
  void whenNoClientAnswersAtAllACloseWaitsNoLongerThanTheCap() {
    long heardAt = START + 10 * SECOND;
    watermark.pinged(OTHER_SLICE, heardAt + 80 * SECOND);

    assertFalse(
        watermark.silentPastDeadline(SLICE, heardAt, DEADLINE + CAP, DEADLINE), "at the cap");
    assertTrue(
        watermark.silentPastDeadline(SLICE, heardAt, DEADLINE + CAP + 1, DEADLINE), "past it");
  }

  @Test
  void aPongEchoingATimeNotYetComeCannotSpeakForTheServer() {
    long heardAt = START + 10 * SECOND;
    long now = heardAt + DEADLINE + SECOND;
    watermark.pinged(OTHER_SLICE, heardAt + INTERVAL + SECOND);
    watermark.echoed(now + 3_600 * SECOND, heardAt + INTERVAL + 2 * SECOND);

    assertFalse(watermark.silentPastDeadline(SLICE, heardAt, now - heardAt, DEADLINE));
  }
}

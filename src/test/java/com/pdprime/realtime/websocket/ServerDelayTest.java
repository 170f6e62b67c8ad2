package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServerDelayTest {
  private static final long SECOND = 1_000_000_000L;
  private final ServerDelay delay = new ServerDelay(25 * SECOND, 70 * SECOND);

  @Test
  void aPromptServerAllowsNothingExtra() {
    delay.nextRound(100 * SECOND);
    delay.roundTrip(SECOND / 1000);
    assertEquals(SECOND / 1000, delay.nextRound(125 * SECOND));
  }

  @Test
  void lateReadPongsExtendTheNextTwoRoundsThenExpire() {
    delay.nextRound(100 * SECOND);
    delay.roundTrip(12 * SECOND);
    delay.roundTrip(3 * SECOND);
    assertEquals(12 * SECOND, delay.nextRound(125 * SECOND));
    assertEquals(12 * SECOND, delay.nextRound(150 * SECOND));
    assertEquals(0, delay.nextRound(175 * SECOND));
  }

  @Test
  void aRoundThatStartsLateAllowsItsLateness() {
    delay.nextRound(100 * SECOND);
    assertEquals(9 * SECOND, delay.nextRound(134 * SECOND));
  }

  @Test
  void theAllowanceIsCappedSoDelayedPongsCannotKeepDeadClientsForever() {
    delay.nextRound(100 * SECOND);
    delay.roundTrip(500 * SECOND);
    assertEquals(70 * SECOND, delay.nextRound(125 * SECOND));
  }
}

package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LivenessTest {
  private final Liveness liveness = new Liveness(1_000);

  @Test
  void aNewConnectionHasNoUnansweredPing() {
    assertEquals(0, liveness.nanosPingUnanswered(50_000));
    assertEquals(49_000, liveness.nanosSinceHeard(50_000));
  }

  @Test
  void anUnansweredPingCountsFromWhenItWasWrittenAndAnEarlierFrameDoesNotAnswerIt() {
    liveness.heard(9_000);
    liveness.pingWritten(10_000);
    assertEquals(5_000, liveness.nanosPingUnanswered(15_000));
  }

  @Test
  void anyFrameHeardAfterThePingAnswersIt() {
    liveness.pingWritten(10_000);
    liveness.heard(12_000);
    assertEquals(0, liveness.nanosPingUnanswered(40_000));
  }

  /**
   * A client that stops answering must not be kept alive by the pings that follow: each new ping
   * would restart the count, and with a deadline longer than the interval it would never run out.
   */
  @Test
  void laterPingsDoNotRestartTheCountOfTheFirstUnansweredOne() {
    liveness.pingWritten(10_000);
    liveness.pingWritten(35_000);
    liveness.pingWritten(60_000);
    assertEquals(55_000, liveness.nanosPingUnanswered(65_000));
  }

  @Test
  void afterAnAnswerTheNextPingWrittenIsTheOneWatched() {
    liveness.pingWritten(10_000);
    liveness.heard(12_000);
    liveness.pingWritten(35_000);
    assertEquals(5_000, liveness.nanosPingUnanswered(40_000));
  }
}

package com.pdprime.realtime.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RelayEchoesTest {
  private final RelayEchoes echoes = started();

  /** An instance that has just started: it has sent no echo and heard none. */
  private static RelayEchoes started() {
    RelayEchoes echoes = new RelayEchoes();
    echoes.timeoutMillis = 3_000;
    echoes.firstEchoTimeoutMillis = 30_000;
    return echoes;
  }

  RelayEchoesTest() {
    echoes.heard(echoes.next(0));
  }

  @Test
  void anInstanceIsUnheardUntilItsFirstEchoIsHeardAndTheAlertWaitsLongerForIt() {
    // WildFly starts the consumer only after the deployment, seconds after the first echo is sent.
    RelayEchoes starting = started();
    assertEquals(OptionalLong.of(0), starting.unheardMillis(500), "not ready before any echo");

    starting.next(1_000);
    long second = starting.next(2_000);

    assertEquals(OptionalLong.of(4_000), starting.unheardMillis(5_000));
    assertTrue(starting.overdueMillis(5_000).isEmpty(), "no alert after the usual timeout");
    assertTrue(starting.overdueMillis(31_000).isEmpty(), "nor at the first echo's timeout");
    assertEquals(OptionalLong.of(30_001), starting.overdueMillis(31_001));

    starting.heard(second);

    assertTrue(starting.unheardMillis(31_001).isEmpty(), "ready once an echo is heard");
    starting.next(32_000);
    assertEquals(
        OptionalLong.of(3_001),
        starting.overdueMillis(35_001),
        "an echo heard: the next is held to the usual timeout");
  }

  @Test
  void anEchoHeardWithinTheTimeoutLeavesNothingOverdue() {
    long first = echoes.next(10_000);
    echoes.heard(first);

    assertTrue(echoes.overdueMillis(60_000).isEmpty());
  }

  @Test
  void anEchoUnheardPastTheTimeoutIsOverdueByItsAge() {
    echoes.next(10_000);

    assertTrue(echoes.overdueMillis(13_000).isEmpty(), "not overdue at the timeout itself");
    assertEquals(OptionalLong.of(3_001), echoes.overdueMillis(13_001));
  }

  @Test
  void echoesSentWhileNothingIsHeardAreSettledByTheFirstHeardAgain() {
    // The broker restarted: the echoes sent meanwhile never arrive; the consumer reconnects and
    // hears the next one.
    for (long at = 0; at < 10_000; at += 1_000) {
      echoes.next(at);
    }
    long afterReconnect = echoes.next(10_000);
    assertEquals(OptionalLong.of(10_500), echoes.overdueMillis(10_500));

    echoes.heard(afterReconnect);

    assertTrue(echoes.overdueMillis(10_500).isEmpty());
  }

  @Test
  void hearingAnOlderEchoLeavesTheNewerOnesAwaited() {
    long first = echoes.next(0);
    echoes.next(1_000);
    echoes.heard(first);

    assertEquals(OptionalLong.of(4_000), echoes.overdueMillis(5_000));
  }

  @Test
  void aConsumerGoneForHoursIsStillOverdueFromItsFirstUnheardEchoAndRecovers() {
    for (long at = 0; at < 3_600_000; at += 1_000) {
      echoes.next(at);
    }
    assertEquals(OptionalLong.of(3_600_000), echoes.overdueMillis(3_600_000));

    echoes.heard(echoes.next(3_600_000));

    assertTrue(echoes.overdueMillis(3_600_000).isEmpty());
  }

  @Test
  void aRelayFailureLeavesTheInstanceUnheardAtOnceUntilAnEchoSentAfterItIsHeard() {
    // A broker outage shorter than the timeout: no echo is overdue when the broker returns, yet
    // the consumer may be seconds from reconnecting.
    long before = echoes.next(0);
    echoes.doubt(500);
    long duringTheOutage = echoes.next(1_000);
    echoes.doubt(1_500);

    assertEquals(OptionalLong.of(1_500), echoes.unheardMillis(2_000));
    assertTrue(echoes.overdueMillis(2_000).isEmpty(), "the alert keeps to the timeout");
    echoes.heard(before);
    assertEquals(OptionalLong.of(1_500), echoes.unheardMillis(2_000), "sent before the failure");
    echoes.heard(duringTheOutage);
    assertEquals(
        OptionalLong.of(2_000),
        echoes.unheardMillis(2_500),
        "sent before the latest failure: the broker may have dropped it, not the consumer heard it");

    echoes.heard(echoes.next(3_000));

    assertTrue(echoes.unheardMillis(3_000).isEmpty());
  }

  @Test
  void theRelayCarriesAnEchoWithItsInstanceAndNumber() throws Exception {
    RelayEcho echo = new RelayEcho("node-7", 42);

    assertEquals(echo, RelayMessages.decode(RelayMessages.encode(echo)));
  }
}

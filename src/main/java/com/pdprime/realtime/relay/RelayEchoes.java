package com.pdprime.realtime.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether this instance hears its own relay. A send that succeeds proves only that the broker takes
 * messages: after a broker restart the resource adapter reconnects the relay's consumer with
 * back-off, seconds later, and until then the instance's clients get stored events only from
 * history and no ephemeral event or disconnect order at all. So {@link RelayReceiveMonitor} sends
 * an echo every period and {@link RoomEventConsumer} reports each one back; an echo unheard for
 * longer than {@code realtime.monitor.relay-receive.timeout-ms} means the instance does not
 * receive.
 *
 * <p>One producer's messages reach a consumer in the order sent, so hearing an echo accounts for
 * every earlier one too: one lost on its way (sent as the broker died) is settled by the next.
 *
 * <p>A broker outage shorter than the timeout would leave no echo overdue when the broker returns,
 * while the consumer may still be seconds from reconnecting. So a relay failure puts the relay in
 * doubt ({@link #doubt}) until an echo sent after it is heard: {@link #unheardMillis} reports that
 * at once, for readiness; {@link #overdueMillis} keeps to the timeout, for the alert.
 */
@ApplicationScoped
public class RelayEchoes {
  /** Echoes awaited at most: beyond it the oldest already tells that nothing is heard. */
  static final int MAX_AWAITED = 64;

  private record Awaited(long number, long sentAtMillis) {}

  private final Deque<Awaited> awaited = new ArrayDeque<>();
  private long lastNumber;

  /** While in doubt: when it began, and the last echo number sent before the latest failure. */
  private long doubtedSinceMillis = -1;

  private long doubtedUpTo;

  @Inject
  @ConfigProperty(name = "realtime.monitor.relay-receive.timeout-ms")
  long timeoutMillis;

  /** Milliseconds on the monotonic clock the echoes are timed by. */
  static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  /** The number of a new echo about to be sent now. */
  synchronized long next(long nowMillis) {
    lastNumber++;
    if (awaited.size() < MAX_AWAITED) {
      awaited.addLast(new Awaited(lastNumber, nowMillis));
    }
    return lastNumber;
  }

  /** The consumer received this instance's echo {@code number}. */
  synchronized void heard(long number) {
    if (doubtedSinceMillis >= 0 && number > doubtedUpTo) {
      doubtedSinceMillis = -1;
    }
    while (!awaited.isEmpty() && awaited.peekFirst().number() <= number) {
      awaited.removeFirst();
    }
  }

  /** A relay send or probe failed now: nothing counts as received until a later echo is heard. */
  synchronized void doubt(long nowMillis) {
    if (doubtedSinceMillis < 0) {
      doubtedSinceMillis = nowMillis;
    }
    doubtedUpTo = lastNumber;
  }

  /**
   * How long this instance has not been known to receive: since the relay failed, until an echo
   * sent after that is heard; else as {@link #overdueMillis}.
   */
  synchronized OptionalLong unheardMillis(long nowMillis) {
    if (doubtedSinceMillis >= 0) {
      return OptionalLong.of(nowMillis - doubtedSinceMillis);
    }
    return overdueMillis(nowMillis);
  }

  /** How long the oldest unheard echo has been awaited, if longer than the timeout. */
  synchronized OptionalLong overdueMillis(long nowMillis) {
    Awaited oldest = awaited.peekFirst();
    if (oldest == null || nowMillis - oldest.sentAtMillis() <= timeoutMillis) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(nowMillis - oldest.sentAtMillis());
  }
}

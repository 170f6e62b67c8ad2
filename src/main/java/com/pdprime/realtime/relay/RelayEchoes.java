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
 *
 * <p>An instance that has not heard any echo yet has not shown that it receives: it is unheard (not
 * ready) from its start. Its consumer may start seconds after the echoes do (WildFly starts
 * message-driven beans only once the server resumes, after the deployment), so the alert waits
 * {@code realtime.monitor.relay-receive.first-echo-timeout-ms} for the first echo instead.
 */
@ApplicationScoped
public class RelayEchoes {
  /** Echoes awaited at most: beyond it the oldest already tells that nothing is heard. */
  static final int MAX_AWAITED = 64;

  private record Awaited(long number, long sentAtMillis) {}

  private final Deque<Awaited> awaited = new ArrayDeque<>();
  private long lastNumber;

  /** The newest echo heard; 0 until the first. */
  private long lastHeard;

  /** While in doubt: when it began, and the last echo number sent before the latest failure. */
  private long doubtedSinceMillis = -1;

  private long doubtedUpTo;

  @Inject
  @ConfigProperty(name = "realtime.monitor.relay-receive.timeout-ms")
  long timeoutMillis;

  @Inject
  @ConfigProperty(name = "realtime.monitor.relay-receive.first-echo-timeout-ms")
  long firstEchoTimeoutMillis;

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
    lastHeard = Math.max(lastHeard, number);
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
   * sent after that is heard; before the first echo is heard, since it was sent (0 before it is);
   * else as {@link #overdueMillis}.
   */
  synchronized OptionalLong unheardMillis(long nowMillis) {
    if (doubtedSinceMillis >= 0) {
      return OptionalLong.of(nowMillis - doubtedSinceMillis);
    }
    if (lastHeard == 0) {
      Awaited first = awaited.peekFirst();
      return OptionalLong.of(first == null ? 0 : nowMillis - first.sentAtMillis());
    }
    return overdueMillis(nowMillis);
  }

  /**
   * How long the oldest unheard echo has been awaited, if longer than the timeout (the first echo's
   * timeout until one is heard).
   */
  synchronized OptionalLong overdueMillis(long nowMillis) {
    Awaited oldest = awaited.peekFirst();
    long timeout = lastHeard == 0 ? firstEchoTimeoutMillis : timeoutMillis;
    if (oldest == null || nowMillis - oldest.sentAtMillis() <= timeout) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(nowMillis - oldest.sentAtMillis());
  }
}

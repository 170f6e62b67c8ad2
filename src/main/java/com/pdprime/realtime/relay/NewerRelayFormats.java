package com.pdprime.realtime.relay;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The senders of a later release's relay messages this instance has met, so that the log names each
 * sender and format once while the metric counts every message: during a rolling upgrade the older
 * instances receive thousands of them a second. Bounded by the instances on the broker.
 */
@ApplicationScoped
class NewerRelayFormats {
  private final Set<String> met = ConcurrentHashMap.newKeySet();

  /** Whether this is the first message of {@code format} from {@code sender}. */
  boolean firstFrom(String sender, int format) {
    return met.add(sender + " " + format);
  }
}

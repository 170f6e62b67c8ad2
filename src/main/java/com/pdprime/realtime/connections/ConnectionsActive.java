package com.pdprime.realtime.connections;

import java.time.Instant;
import java.util.List;

/** These connections did something since the last flush; their last activity becomes {@code at}. */
public record ConnectionsActive(List<String> connectionIds, Instant at) implements JournalEntry {}

package com.pdprime.realtime.connections;

import java.time.Instant;

/** A connection reached CLOSED, with the close code and reason that ended it. */
public record ConnectionClosed(String connectionId, int code, String reason, Instant at)
    implements JournalEntry {}

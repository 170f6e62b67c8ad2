package com.pdprime.realtime.connections;

import java.time.Instant;

/**
 * A connection reached CLOSED, with the close code and reason that ended it: a journal entry, and
 * the CDI event features observe to let go of what the connection held (editing indicators).
 */
public record ConnectionClosed(String connectionId, int code, String reason, Instant at)
    implements JournalEntry {}

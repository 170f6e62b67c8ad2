package com.pdprime.realtime.connections;

import java.time.Instant;

/** A connection reached OPEN. */
public record ConnectionOpened(
    String connectionId,
    String instanceId,
    String subject,
    boolean admin,
    String ipAddress,
    String userAgent,
    Instant at)
    implements JournalEntry {}

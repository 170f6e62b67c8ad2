package com.pdprime.realtime.connections;

/** One change to the connection journal, written in the next batch. */
public sealed interface JournalEntry
    permits ConnectionOpened, ConnectionClosed, ConnectionsActive {}

package com.pdprime.realtime.rooms;

/**
 * A checked event and who published it: a group commit stores the events of many publishers in one
 * transaction, and history keeps each event's own publisher.
 */
public record AuthoredEvent(PublishRequest event, String publishedBy) {}

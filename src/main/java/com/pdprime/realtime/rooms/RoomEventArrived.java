package com.pdprime.realtime.rooms;

/**
 * A durable event reached this instance through the relay, whoever published it and on whichever
 * instance. Features that derive state from many rooms (dashboards counting quotes) observe it to
 * learn that something changed, without reading the event history.
 */
public record RoomEventArrived(RoomName room, String name) {}

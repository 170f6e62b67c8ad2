/**
 * Presence: who is in each room across all instances (room_presence), announced as ephemeral
 * events. Depends on rooms, relay and connections (the instance id); the engine calls it, never the
 * reverse.
 */
package com.pdprime.realtime.presence;

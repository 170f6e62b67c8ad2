package com.pdprime.realtime.rooms;

/** The outcome of checking a caller against a room's access rule. */
public enum AccessDecision {
  GRANTED,
  FORBIDDEN,
  /**
   * The room names something that does not exist; told only to callers who could see it if it did.
   */
  NOT_FOUND
}

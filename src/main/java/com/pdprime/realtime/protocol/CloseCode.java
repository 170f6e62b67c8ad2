package com.pdprime.realtime.protocol;

import jakarta.websocket.CloseReason;

/**
 * Every close code the server uses and what it means; the client acts on each (docs/protocol.md). A
 * close always carries one of these codes and a reason, and is logged with both.
 */
public enum CloseCode {
  NORMAL(1000),
  GOING_AWAY(1001),
  PROTOCOL_ERROR(1002),
  UNSUPPORTED_DATA(1003),
  POLICY_VIOLATION(1008),
  TOO_BIG(1009),
  INTERNAL_ERROR(1011),
  TOKEN_EXPIRED(4001),
  HEARTBEAT_TIMEOUT(4002),
  FORBIDDEN(4003),
  SLOW_CONSUMER(4008),
  /** An operator disconnected the socket (one connection, or all of a user's). */
  DISCONNECTED(4010),
  RATE_LIMITED(4029);

  private final int code;

  CloseCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public CloseReason reason(String text) {
    return new CloseReason(CloseReason.CloseCodes.getCloseCode(code), text);
  }
}

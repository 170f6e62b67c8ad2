package com.pdprime.realtime.security;

/**
 * A token that does not prove who its bearer is, and the reason, which is logged (the token never
 * is).
 */
public class TokenRejected extends Exception {
  /** Why a token was refused; the names are the values of the refused-handshake metric's tag. */
  public enum Reason {
    MISSING,
    MALFORMED,
    UNSUPPORTED_ALGORITHM,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    EXPIRED,
    NOT_YET_VALID,
    WRONG_ISSUER,
    WRONG_AUDIENCE,
    MISSING_CLAIM
  }

  private final Reason reason;

  public TokenRejected(Reason reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

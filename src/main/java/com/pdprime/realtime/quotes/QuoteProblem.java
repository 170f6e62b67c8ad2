package com.pdprime.realtime.quotes;

import jakarta.ejb.ApplicationException;

/** Why a quote operation was refused; the same codes reach REST callers and socket clients. */
@ApplicationException(rollback = true)
public class QuoteProblem extends Exception {
  /** The refusal kinds, each mapped to an HTTP status and a socket error code. */
  public enum Kind {
    NOT_FOUND,
    FORBIDDEN,
    UNKNOWN_FIELD,
    INVALID_VALUE,
    NOT_EDITABLE,
    NOT_QUOTED
  }

  private final Kind kind;

  public QuoteProblem(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

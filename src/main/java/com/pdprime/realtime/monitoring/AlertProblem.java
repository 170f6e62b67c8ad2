package com.pdprime.realtime.monitoring;

/** Why an admin's acknowledge or resolve was refused; REST and the socket map it to their codes. */
public class AlertProblem extends Exception {
  /** What is wrong with the request. */
  public enum Kind {
    NOT_FOUND,
    ALREADY_RESOLVED,
    ALREADY_ACKNOWLEDGED
  }

  private final Kind kind;

  public AlertProblem(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

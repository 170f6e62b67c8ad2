package com.pdprime.realtime.protocol;

/** A client command that cannot be carried out, with the error frame that tells the client why. */
public class ProtocolException extends Exception {
  private final ErrorCode code;
  private final String replyTo;

  public ProtocolException(ErrorCode code, String message, String replyTo) {
    super(message, null, false, false);
    this.code = code;
    this.replyTo = replyTo;
  }

  public ErrorCode code() {
    return code;
  }

  public String replyTo() {
    return replyTo;
  }
}

package com.pdprime.realtime.protocol;

import jakarta.json.JsonObject;

/** A client command that cannot be carried out, with the error frame that tells the client why. */
public class ProtocolException extends Exception {
  private final ErrorCode code;
  private final String replyTo;
  private final JsonObject details;

  public ProtocolException(ErrorCode code, String message, String replyTo) {
    this(code, message, replyTo, null);
  }

  /** With {@code details}: structured facts the client needs to act, e.g. the winning value. */
  public ProtocolException(ErrorCode code, String message, String replyTo, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.replyTo = replyTo;
    this.details = details;
  }

  public JsonObject details() {
    return details;
  }

  public ErrorCode code() {
    return code;
  }

  public String replyTo() {
    return replyTo;
  }
}

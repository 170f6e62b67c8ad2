package com.pdprime.realtime.api;

/**
 * A request body the server cannot take as JSON: not JSON at all, refused by the provider
 * (duplicate keys, nesting or number limits, invalid UTF-8), or JSON of the wrong kind. Thrown
 * while the body is read, before any resource runs; {@link BadRequestBodyMapper} answers it with
 * 400.
 */
public final class BadRequestBody extends RuntimeException {
  private final String code;
  private final String action;

  BadRequestBody(String code, String message, String action) {
    super(message, null, false, false);
    this.code = code;
    this.action = action;
  }

  static BadRequestBody malformed(String detail) {
    return new BadRequestBody(
        "MALFORMED_JSON",
        "the body is not valid JSON: " + detail,
        "Send the body as one JSON value in UTF-8, each key at most once per object.");
  }

  String code() {
    return code;
  }

  String action() {
    return action;
  }
}

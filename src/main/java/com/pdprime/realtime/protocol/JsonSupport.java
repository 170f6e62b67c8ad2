package com.pdprime.realtime.protocol;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider every class uses. {@code jakarta.json.Json}'s static methods look the
 * provider up through {@code ServiceLoader} on every call, which scans the application's jars:
 * under load that lookup was a third of the server's CPU (bench/RESULTS.md, profile). Looked up
 * once here.
 */
public final class JsonSupport {
  public static final JsonProvider JSON = JsonProvider.provider();

  private JsonSupport() {}
}

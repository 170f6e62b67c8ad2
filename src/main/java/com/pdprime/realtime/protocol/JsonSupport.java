package com.pdprime.realtime.protocol;

import jakarta.json.JsonException;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * The one JSON-P provider every class uses, and the parsers for everything a client sends. {@code
 * jakarta.json.Json}'s static methods look the provider up through {@code ServiceLoader} on every
 * call, which scans the application's jars: under load that lookup was a third of the server's CPU
 * (bench/RESULTS.md, profile). Looked up once here.
 *
 * <p>Inbound JSON refuses duplicate keys: by default the last value wins, so a frame could show one
 * value to a reviewer or a proxy and another to the server. {@code rejectDuplicateKeys} is
 * Parsson's (Payara's provider); a provider that ignored it would silently let duplicates through,
 * so the class refuses to load unless a duplicate really is refused.
 */
public final class JsonSupport {
  public static final JsonProvider JSON = JsonProvider.provider();

  private static final Map<String, ?> STRICT =
      Map.of("org.eclipse.parsson.rejectDuplicateKeys", true);

  /** For client frames and request bodies: refuses duplicate keys. */
  public static final JsonParserFactory INBOUND_PARSERS = JSON.createParserFactory(STRICT);

  /** For request bodies read whole: refuses duplicate keys. */
  public static final JsonReaderFactory INBOUND_READERS = JSON.createReaderFactory(STRICT);

  static {
    requireDuplicateKeysRefused();
  }

  private JsonSupport() {}

  /** The provider's reason for refusing input, bounded: it may quote the input, up to 64 KiB. */
  public static String refusal(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }

  private static void requireDuplicateKeysRefused() {
    try (JsonParser parser = INBOUND_PARSERS.createParser(new StringReader("{\"a\":1,\"a\":2}"))) {
      parser.next();
      parser.getObject();
    } catch (JsonException | IllegalStateException expected) {
      return;
    }
    throw new IllegalStateException(
        "the JSON-P provider "
            + JSON.getClass().getName()
            + " accepts duplicate keys; inbound JSON needs Parsson's rejectDuplicateKeys");
  }
}

package com.pdprime.realtime.api;

import static com.pdprime.realtime.protocol.JsonSupport.INBOUND_PARSERS;

import com.pdprime.realtime.protocol.JsonSupport;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Reads every JSON request body with the same strict parser as socket frames (duplicate keys
 * refused), so that anything the provider refuses becomes a 400 {@code MALFORMED_JSON} instead of
 * the runtime's 500 page. An empty body is {@code null}, which each resource answers as a missing
 * body; invalid UTF-8 is refused, not replaced.
 *
 * <p>An interceptor rather than a {@code MessageBodyReader}: Payara registers Parsson's own reader
 * for the same type and media type, and which of two equal readers the runtime picks is not
 * specified. An interceptor that does not proceed decides for certain.
 *
 * <p>A body whose connection ended, whose bytes stopped coming, or that is not whole within {@code
 * realtime.rest.body-deadline-ms} of its first read is {@link UnfinishedBody}, not {@code
 * MALFORMED_JSON}: the parser reports a failed read as one more malformed input, so the stream it
 * reads tells which it was. The deadline ends a body trickled a byte at a time as well as one that
 * stopped coming, either of which would hold its worker as long as it lasts.
 */
@Provider
public class JsonBodyInterceptor implements ReaderInterceptor {
  @Inject BodyDeadlines deadlines;

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    if (!JsonValue.class.isAssignableFrom(context.getType())) {
      return context.proceed();
    }
    WatchedBody watched = deadlines.watch(context.getInputStream());
    try {
      return read(context.getType(), context.getMediaType(), watched);
    } catch (IOException | BadRequestBody refused) {
      if (watched.failure() != null) {
        context.setProperty(BodyLimitFilter.CUT_OFF, Boolean.TRUE);
        throw new UnfinishedBody(watched.failure());
      }
      throw refused;
    } finally {
      watched.finished();
    }
  }

  private static JsonValue read(Class<?> type, MediaType mediaType, InputStream entityStream)
      throws IOException {
    PushbackInputStream body = new PushbackInputStream(entityStream, 1);
    int first = body.read();
    if (first < 0) {
      return null;
    }
    body.unread(first);
    JsonValue value;
    try (JsonParser parser = INBOUND_PARSERS.createParser(decoding(body, mediaType))) {
      parser.next();
      value = parser.getValue();
      if (parser.hasNext()) {
        throw BadRequestBody.malformed("the body holds more than one JSON value");
      }
    } catch (BadRequestBody | RequestTooLarge refused) {
      throw refused;
    } catch (RuntimeException e) {
      // Parsson reports limits and duplicate keys with plain runtime exceptions, and wraps
      // invalid UTF-8 in a JsonException: all of them mean the body is not acceptable JSON.
      throw BadRequestBody.malformed(JsonSupport.refusal(e));
    }
    if (!type.isInstance(value)) {
      throw new BadRequestBody(
          "INVALID_FRAME",
          "the body must be a JSON " + kindOf(type) + ", not " + value.getValueType(),
          "Send the body this endpoint documents in docs/protocol.md §11.");
    }
    return value;
  }

  private static InputStreamReader decoding(InputStream body, MediaType mediaType) {
    Charset charset = StandardCharsets.UTF_8;
    String named =
        mediaType == null ? null : mediaType.getParameters().get(MediaType.CHARSET_PARAMETER);
    if (named != null) {
      try {
        charset = Charset.forName(named);
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        throw new BadRequestBody(
            "MALFORMED_JSON",
            "the body's charset is not supported",
            "Send the body in UTF-8 (charset=utf-8 or no charset).");
      }
    }
    return new InputStreamReader(
        body,
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  private static String kindOf(Class<?> type) {
    return type.getSimpleName().replace("Json", "").toLowerCase(java.util.Locale.ROOT);
  }
}

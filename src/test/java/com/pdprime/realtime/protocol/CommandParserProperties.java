package com.pdprime.realtime.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Whatever a client sends, the parser answers with a command or with one documented error code; no
 * other exception may leave it (it would reach the endpoint's error handler and the client would
 * get no reply).
 */
class CommandParserProperties {
  /** The codes docs/protocol.md §10 lists for a frame the parser refuses. */
  private static final Set<ErrorCode> PARSER_CODES =
      EnumSet.of(
          ErrorCode.MALFORMED_JSON,
          ErrorCode.INVALID_FRAME,
          ErrorCode.MISSING_FIELD,
          ErrorCode.INVALID_FIELD,
          ErrorCode.UNKNOWN_TYPE,
          ErrorCode.UNKNOWN_ROOM_TYPE,
          ErrorCode.INVALID_ROOM);

  private static final List<String> KEYS =
      List.of(
          "id", "type", "room", "since", "epoch", "seq", "field", "value", "version", "token",
          "alertId");

  private static final List<String> TYPES =
      List.of(
          "ping",
          "subscribe",
          "unsubscribe",
          "presence",
          "edit",
          "focus",
          "blur",
          "calculate",
          "refresh",
          "acknowledge",
          "resolve",
          "bind");

  @Property(tries = 2000)
  void anyTextGetsACommandOrOneDocumentedError(@ForAll @StringLength(max = 300) String text) {
    assertAnswered(text);
  }

  @Property(tries = 3000)
  void anyFrameShapedTextGetsACommandOrOneDocumentedError(@ForAll("frames") String text) {
    assertAnswered(text);
  }

  @Property(tries = 2000)
  void aDamagedFrameGetsACommandOrOneDocumentedError(
      @ForAll("frames") String frame, @ForAll("damage") Damage damage) {
    assertAnswered(damage.apply(frame));
  }

  @Property(tries = 500)
  void anErrorRepliesToTheFramesIdOrToNothing(@ForAll("frames") String text) {
    try {
      Command command = CommandParser.parse(text);
      assertEquals(idOf(text), command.id(), text);
    } catch (ProtocolException problem) {
      if (problem.replyTo() != null) {
        assertEquals(idOf(text), problem.replyTo(), text);
      }
    }
  }

  /** The frame's id as the JSON provider reads it, independently of the parser under test. */
  private static String idOf(String text) {
    try (JsonParser parser = JsonSupport.INBOUND_PARSERS.createParser(new StringReader(text))) {
      parser.next();
      return parser.getObject().getString("id");
    }
  }

  @Property(tries = 500)
  void aPingWithAnyValidIdIsAPingWithThatId(@ForAll @StringLength(min = 1, max = 64) String rawId) {
    String id = rawId.replaceAll("[\"\\\\\\p{Cntrl}\\p{Cs}]", "x");
    Command command = assertCommand("{\"id\":\"" + id + "\",\"type\":\"ping\"}");
    assertEquals(new Command.Ping(id), command);
  }

  private static Command assertCommand(String text) {
    try {
      return CommandParser.parse(text);
    } catch (ProtocolException problem) {
      throw new AssertionError(text + " was refused: " + problem.getMessage(), problem);
    }
  }

  private static void assertAnswered(String text) {
    try {
      assertInstanceOf(Command.class, CommandParser.parse(text));
    } catch (ProtocolException problem) {
      assertTrue(PARSER_CODES.contains(problem.code()), problem.code() + " for " + text);
      assertTrue(problem.getMessage() != null && !problem.getMessage().isBlank(), text);
    }
  }

  @Provide
  Arbitrary<String> frames() {
    return object(3);
  }

  private static Arbitrary<String> object(int depth) {
    Arbitrary<String> member =
        Combinators.combine(Arbitraries.of(KEYS), value(depth)).as((k, v) -> quote(k) + ":" + v);
    return member.list().ofMaxSize(8).map(m -> "{" + String.join(",", m) + "}");
  }

  private static Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(TYPES).map(CommandParserProperties::quote),
            Arbitraries.of(
                    "user:alice",
                    "quote:3F1C2B7E-9A4D-4C1E-8B2F-0D6E5A7C9B10",
                    "quote:nope",
                    "analytics:sales",
                    "admin:x",
                    ":",
                    "",
                    "state",
                    "vehicles.1.year")
                .map(CommandParserProperties::quote),
            Arbitraries.strings().ofMaxLength(70).map(CommandParserProperties::quote),
            Arbitraries.of(
                "0",
                "-1",
                "1.5",
                "1e2",
                "9223372036854775807",
                "9223372036854775808",
                "18446744073709551616",
                "1e2147483647",
                "1e2147483648",
                "-0",
                "9".repeat(1200)),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.of("true", "false", "null"));
    if (depth == 0) {
      return scalar;
    }
    return Arbitraries.oneOf(
        scalar,
        scalar,
        object(depth - 1),
        value(depth - 1).list().ofMaxSize(4).map(v -> "[" + String.join(",", v) + "]"));
  }

  private static String quote(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  @Provide
  Arbitrary<Damage> damage() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.of(
                "{", "}", "[", "]", ",", ":", "\"", "\\", "\u0000", "\ud800", "1e9999", ""))
        .as(Damage::new);
  }

  /** One edit to a frame's text: cut it, insert a token, repeat a prefix, or drop a character. */
  record Damage(int kind, double where, String token) {
    String apply(String frame) {
      int at = (int) (where * frame.length());
      return switch (kind) {
        case 0 -> frame.substring(0, at);
        case 1 -> frame.substring(0, at) + token + frame.substring(at);
        case 2 -> frame.substring(0, at).repeat(3) + frame.substring(at);
        default -> at < frame.length() ? frame.substring(0, at) + frame.substring(at + 1) : frame;
      };
    }
  }
}

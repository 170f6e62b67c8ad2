package com.pdprime.realtime.protocol;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.function.Consumer;

/**
 * The one encoder of server frames. Replies and errors are built per command; event frames are
 * built once per event and the same text is shared by every recipient.
 */
public final class ServerFrames {
  // Looking up the JSON provider is costly; one factory serves every frame.
  private static final JsonGeneratorFactory GENERATORS = JSON.createGeneratorFactory(null);

  private ServerFrames() {}

  public static String ok(String replyTo, JsonObject data) {
    return write(
        g -> {
          g.write("type", "ok");
          g.write("replyTo", replyTo);
          g.write("data", data);
        });
  }

  /**
   * The first frame on every connection: its id (for support and logs) and the heartbeat interval.
   */
  public static String welcome(String connectionId, String subject, long heartbeatMillis) {
    return write(
        g -> {
          g.write("type", "welcome");
          g.write("connectionId", connectionId);
          g.write("subject", subject);
          g.write("heartbeatMs", heartbeatMillis);
        });
  }

  public static String pong(String replyTo, long serverTimeMillis) {
    return write(
        g -> {
          g.write("type", "pong");
          g.write("replyTo", replyTo);
          g.write("ts", serverTimeMillis);
        });
  }

  public static String error(ProtocolException problem) {
    return error(problem.code(), problem.getMessage(), problem.replyTo(), problem.details());
  }

  public static String error(ErrorCode code, String message, String replyTo) {
    return error(code, message, replyTo, null);
  }

  private static String error(ErrorCode code, String message, String replyTo, JsonObject details) {
    return write(
        g -> {
          g.write("type", "error");
          g.write("code", code.name());
          g.write("message", message);
          g.write("action", code.action());
          if (replyTo == null) {
            g.writeNull("replyTo");
          } else {
            g.write("replyTo", replyTo);
          }
          if (details != null) {
            g.write("details", details);
          }
        });
  }

  /** The server ended a subscription: the caller's access to the room was withdrawn. */
  public static String revoked(String room, String reason) {
    return write(
        g -> {
          g.write("type", "revoked");
          g.write("room", room);
          g.write("code", ErrorCode.FORBIDDEN_ROOM.name());
          g.write("reason", reason);
        });
  }

  /** A durable room event: numbered by {@code seq} within the room's {@code epoch}. */
  public static String durableEvent(
      String room, String name, String epoch, long seq, long tsMillis, JsonObject data) {
    return write(
        g -> {
          g.write("type", "event");
          g.write("room", room);
          g.write("name", name);
          g.write("epoch", epoch);
          g.write("seq", seq);
          g.write("ts", tsMillis);
          g.write("data", data);
        });
  }

  /** An ephemeral room event (presence, typing, progress): never numbered, never replayed. */
  public static String ephemeralEvent(String room, String name, long tsMillis, JsonObject data) {
    return write(
        g -> {
          g.write("type", "event");
          g.write("room", room);
          g.write("name", name);
          g.write("ephemeral", true);
          g.write("ts", tsMillis);
          g.write("data", data);
        });
  }

  private static String write(Consumer<JsonGenerator> body) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject();
      body.accept(g);
      g.writeEnd();
    }
    return out.toString();
  }
}

package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.Command;
import com.pdprime.realtime.protocol.ProtocolException;
import jakarta.json.JsonObject;
import java.util.Set;

/**
 * Socket commands that belong to a feature (a quote edit, a dashboard request), not to the engine.
 * A feature implements this as a CDI bean; {@link FeatureCommandRouter} discovers every
 * implementation at start, so the engine never imports a feature. Each command type has exactly one
 * handler.
 */
public interface FeatureCommands {
  /** The parsed command types this handler answers. */
  Set<Class<? extends Command>> commandTypes();

  /**
   * Carries out one command and returns the {@code data} of its {@code ok} reply, or throws the
   * protocol error the client gets instead. Exactly one of the two, always.
   */
  JsonObject handle(CommandContext context, Command command) throws ProtocolException;
}

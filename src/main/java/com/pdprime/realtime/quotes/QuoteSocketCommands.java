package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.protocol.Command;
import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.ProtocolException;
import com.pdprime.realtime.websocket.CommandContext;
import com.pdprime.realtime.websocket.FeatureCommands;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.Set;

/**
 * The socket side of quote collaboration: edits, editing indicators and calculations, answered in
 * protocol terms. The quote services decide; this class only translates. The engine finds it as a
 * {@link FeatureCommands} bean and knows nothing of quotes.
 */
@ApplicationScoped
public class QuoteSocketCommands implements FeatureCommands {
  /** Where socket edits are recorded as coming from in the audit trail. */
  static final String SOURCE = "SOCKET";

  @Inject QuoteService quotes;
  @Inject QuoteCalculations calculations;
  @Inject EditingIndicators indicators;

  @Override
  public Set<Class<? extends Command>> commandTypes() {
    return Set.of(
        Command.Edit.class, Command.Focus.class, Command.Blur.class, Command.Calculate.class);
  }

  @Override
  public JsonObject handle(CommandContext context, Command command) throws ProtocolException {
    if (command instanceof Command.Edit edit) {
      return edit(context, edit);
    }
    if (command instanceof Command.Focus focus) {
      return focus(context, focus);
    }
    if (command instanceof Command.Blur blur) {
      return blur(context, blur);
    }
    if (command instanceof Command.Calculate calculate) {
      return calculate(context, calculate);
    }
    throw new IllegalArgumentException(
        "not a quote command: " + command.getClass().getSimpleName());
  }

  private JsonObject edit(CommandContext connection, Command.Edit command)
      throws ProtocolException {
    EditOutcome outcome;
    try {
      outcome =
          quotes.change(
              command.room().key(),
              command.field(),
              command.value(),
              command.version(),
              connection.caller(),
              SOURCE);
    } catch (QuoteProblem problem) {
      throw translate(problem, command.id());
    }
    JsonObject state = outcome.state();
    if (!outcome.applied()) {
      throw new ProtocolException(
          ErrorCode.EDIT_CONFLICT,
          command.field() + " is at version " + outcome.version() + ", not " + command.version(),
          command.id(),
          JSON.createObjectBuilder().add("current", state).build());
    }
    return state;
  }

  private JsonObject focus(CommandContext connection, Command.Focus command)
      throws ProtocolException {
    requireField(command.field(), command.id());
    requireWritable(connection, command.room().key(), command.id());
    indicators.focus(
        command.room(), connection.caller(), connection.connectionId(), command.field());
    return JSON.createObjectBuilder().add("field", command.field()).add("editing", true).build();
  }

  private JsonObject blur(CommandContext connection, Command.Blur command)
      throws ProtocolException {
    requireField(command.field(), command.id());
    requireWritable(connection, command.room().key(), command.id());
    indicators.blur(command.room(), connection.caller(), command.field());
    return JSON.createObjectBuilder().add("field", command.field()).add("editing", false).build();
  }

  private JsonObject calculate(CommandContext connection, Command.Calculate command)
      throws ProtocolException {
    try {
      String calculationId = calculations.start(command.room().key(), connection.caller());
      return JSON.createObjectBuilder().add("calculationId", calculationId).build();
    } catch (QuoteProblem problem) {
      throw translate(problem, command.id());
    }
  }

  private static void requireField(String field, String replyTo) throws ProtocolException {
    if (!FieldCatalog.exists(field)) {
      throw new ProtocolException(
          ErrorCode.UNKNOWN_FIELD, "'" + field + "' is not a quote field", replyTo);
    }
  }

  private void requireWritable(CommandContext connection, String quoteId, String replyTo)
      throws ProtocolException {
    try {
      quotes.fieldsToRate(quoteId, connection.caller());
    } catch (QuoteProblem problem) {
      throw translate(problem, replyTo);
    }
  }

  private static ProtocolException translate(QuoteProblem problem, String replyTo) {
    ErrorCode code =
        switch (problem.kind()) {
          case NOT_FOUND -> ErrorCode.ROOM_NOT_FOUND;
          case FORBIDDEN -> ErrorCode.FORBIDDEN_ACTION;
          case UNKNOWN_FIELD -> ErrorCode.UNKNOWN_FIELD;
          case INVALID_VALUE -> ErrorCode.INVALID_VALUE;
          case NOT_EDITABLE -> ErrorCode.QUOTE_NOT_EDITABLE;
          case NOT_QUOTED -> ErrorCode.QUOTE_NOT_QUOTED;
        };
    return new ProtocolException(code, problem.getMessage(), replyTo);
  }
}

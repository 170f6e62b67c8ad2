package com.pdprime.realtime.websocket;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.protocol.Command;
import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.ProtocolException;
import com.pdprime.realtime.quotes.EditOutcome;
import com.pdprime.realtime.quotes.EditingIndicators;
import com.pdprime.realtime.quotes.FieldCatalog;
import com.pdprime.realtime.quotes.QuoteCalculations;
import com.pdprime.realtime.quotes.QuoteProblem;
import com.pdprime.realtime.quotes.QuoteService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

/**
 * The socket side of quote collaboration: edits, editing indicators and calculations, answered in
 * protocol terms. The quote services decide; this class only translates.
 */
@ApplicationScoped
public class QuoteCommands {
  /** Where socket edits are recorded as coming from in the audit trail. */
  static final String SOURCE = "SOCKET";

  @Inject QuoteService quotes;
  @Inject QuoteCalculations calculations;
  @Inject EditingIndicators indicators;

  JsonObject edit(Connection connection, Command.Edit command) throws ProtocolException {
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
    JsonObject state =
        JSON.createObjectBuilder()
            .add("field", outcome.field())
            .add("value", outcome.value())
            .add("version", outcome.version())
            .build();
    if (!outcome.applied()) {
      throw new ProtocolException(
          ErrorCode.EDIT_CONFLICT,
          command.field() + " is at version " + outcome.version() + ", not " + command.version(),
          command.id(),
          JSON.createObjectBuilder().add("current", state).build());
    }
    return state;
  }

  JsonObject focus(Connection connection, Command.Focus command) throws ProtocolException {
    requireField(command.field(), command.id());
    requireWritable(connection, command.room().key(), command.id());
    indicators.focus(command.room(), connection.caller(), connection.id(), command.field());
    return JSON.createObjectBuilder().add("field", command.field()).add("editing", true).build();
  }

  JsonObject blur(Connection connection, Command.Blur command) throws ProtocolException {
    requireField(command.field(), command.id());
    requireWritable(connection, command.room().key(), command.id());
    indicators.blur(command.room(), connection.caller(), command.field());
    return JSON.createObjectBuilder().add("field", command.field()).add("editing", false).build();
  }

  JsonObject calculate(Connection connection, Command.Calculate command) throws ProtocolException {
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

  private void requireWritable(Connection connection, String quoteId, String replyTo)
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

package com.pdprime.realtime.admin;

import com.pdprime.realtime.monitoring.Alert;
import com.pdprime.realtime.monitoring.AlertProblem;
import com.pdprime.realtime.protocol.Command;
import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.ProtocolException;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.websocket.CommandContext;
import com.pdprime.realtime.websocket.FeatureCommands;
import com.pdprime.realtime.websocket.Handshake;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.Set;

/**
 * {@code acknowledge} and {@code resolve} over the socket: only on {@code /ws/admin}, and only
 * while the connection's token (refreshed ones too) holds {@code admin:access}. The reply's data is
 * the alert as it now is; every admin on {@code admin:alerts} gets the change as an event.
 */
@ApplicationScoped
public class AlertSocketCommands implements FeatureCommands {
  static final String VIA = "SOCKET";

  @Inject AlertActions actions;

  @Override
  public Set<Class<? extends Command>> commandTypes() {
    return Set.of(Command.Acknowledge.class, Command.Resolve.class);
  }

  @Override
  public JsonObject handle(CommandContext context, Command command) throws ProtocolException {
    if (command instanceof Command.Acknowledge acknowledge) {
      requireOperator(context, AlertActions.ACKNOWLEDGE, acknowledge.alertId(), command.id());
      try {
        return actions
            .acknowledge(context.caller(), acknowledge.alertId(), context.clientAddress(), VIA)
            .toJson();
      } catch (AlertProblem problem) {
        throw translate(problem, command.id());
      }
    }
    if (command instanceof Command.Resolve resolve) {
      requireOperator(context, AlertActions.RESOLVE, resolve.alertId(), command.id());
      try {
        Alert resolved =
            actions.resolve(context.caller(), resolve.alertId(), context.clientAddress(), VIA);
        return resolved.toJson();
      } catch (AlertProblem problem) {
        throw translate(problem, command.id());
      }
    }
    throw new IllegalArgumentException(
        "not an alert command: " + command.getClass().getSimpleName());
  }

  private void requireOperator(CommandContext context, String action, long alertId, String replyTo)
      throws ProtocolException {
    String why = null;
    if (!context.operators()) {
      why = "alerts are handled only on " + Handshake.OPERATORS;
    } else if (!context.caller().has(Permissions.ADMIN_ACCESS)) {
      why = "handling alerts needs the " + Permissions.ADMIN_ACCESS + " permission";
    }
    if (why != null) {
      // Audited when an admin tried (e.g. on /ws); a user's attempt is no admin action, and
      // auditing it would make an admin_users row for a non-admin.
      if (context.caller().has(Permissions.ADMIN_ACCESS)) {
        actions.refused(
            context.caller(),
            action,
            Long.toString(alertId),
            context.clientAddress(),
            VIA + ": " + why);
      }
      throw new ProtocolException(ErrorCode.FORBIDDEN_ACTION, why, replyTo);
    }
  }

  private static ProtocolException translate(AlertProblem problem, String replyTo) {
    ErrorCode code =
        switch (problem.kind()) {
          case NOT_FOUND -> ErrorCode.ALERT_NOT_FOUND;
          case ALREADY_RESOLVED -> ErrorCode.ALERT_ALREADY_RESOLVED;
          case ALREADY_ACKNOWLEDGED -> ErrorCode.ALERT_ALREADY_ACKNOWLEDGED;
        };
    return new ProtocolException(code, problem.getMessage(), replyTo);
  }
}

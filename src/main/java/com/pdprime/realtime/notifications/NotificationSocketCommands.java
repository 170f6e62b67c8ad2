package com.pdprime.realtime.notifications;

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
 * {@code notification.read} and {@code notification.read-all} over the socket: the caller's own
 * inbox only, the same path (and the same {@code notification.read} event) as REST. The reply's
 * data is REST's answer.
 */
@ApplicationScoped
public class NotificationSocketCommands implements FeatureCommands {
  @Inject NotificationInbox inbox;

  @Override
  public Set<Class<? extends Command>> commandTypes() {
    return Set.of(Command.NotificationRead.class, Command.NotificationReadAll.class);
  }

  @Override
  public JsonObject handle(CommandContext context, Command command) throws ProtocolException {
    String subject = context.caller().subject();
    try {
      if (command instanceof Command.NotificationRead read) {
        return inbox.read(subject, read.notificationId());
      }
      if (command instanceof Command.NotificationReadAll) {
        return inbox.readAll(subject);
      }
    } catch (NotificationRefusal refused) {
      throw new ProtocolException(
          ErrorCode.valueOf(refused.code()), refused.getMessage(), command.id());
    }
    throw new IllegalArgumentException(
        "not a notification command: " + command.getClass().getSimpleName());
  }
}

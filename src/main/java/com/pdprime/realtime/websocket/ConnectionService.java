package com.pdprime.realtime.websocket;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.persistence.StatementTimeout;
import com.pdprime.realtime.presence.PresenceService;
import com.pdprime.realtime.protocol.CloseCode;
import com.pdprime.realtime.protocol.Command;
import com.pdprime.realtime.protocol.CommandParser;
import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.OutboundFrame;
import com.pdprime.realtime.protocol.ProtocolException;
import com.pdprime.realtime.protocol.ServerFrames;
import com.pdprime.realtime.rooms.AccessDecision;
import com.pdprime.realtime.rooms.RoomAccessPolicy;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomSnapshots;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.TokenRejected;
import com.pdprime.realtime.security.TokenVerification;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries out client commands: rate limit, parse, validate, authorise, act, and answer each command
 * with exactly one reply or error naming its id.
 */
@ApplicationScoped
public class ConnectionService {
  private static final Logger LOG = Logger.getLogger(ConnectionService.class.getName());

  @Inject EngineSettings settings;
  @Inject RoomAccessPolicy access;
  @Inject RoomChannels channels;
  @Inject RealtimeMetrics metrics;
  @Inject PresenceService presence;
  @Inject RoomSnapshots snapshots;
  @Inject FeatureCommandRouter features;
  @Inject TokenVerification tokens;
  @Inject ConnectionRegistry registry;

  /**
   * Subscribes have places of their own, so a reconnect storm's thousands of subscribes never keep
   * a user's quote edit waiting for a place.
   */
  private CommandPlaces subscribes;

  /** Every other command that may read the database: presence, snapshot, refresh, features'. */
  private CommandPlaces databaseCommands;

  @PostConstruct
  void bound() {
    subscribes =
        new CommandPlaces(
            settings.maxSubscribesInProgress(), settings.subscribeBusyWaitMillis(), "subscribes");
    databaseCommands =
        new CommandPlaces(
            settings.maxCommandsInProgress(),
            settings.commandBusyWaitMillis(),
            "presence, snapshot, refresh and feature commands");
  }

  /**
   * A part of a client's text message: the whole message is handled once its last part has come,
   * and a message past {@code realtime.inbound.max-frame-bytes} closes the connection with 1009.
   */
  void receive(Connection connection, String part, boolean last) {
    Optional<String> message;
    try {
      message = connection.inboundPart(part, last);
    } catch (InboundMessage.TooBig tooBig) {
      connection.close(CloseCode.TOO_BIG, tooBig.getMessage());
      return;
    }
    message.ifPresent(text -> receive(connection, text));
  }

  /**
   * A binary message: the protocol is JSON text. On Payara {@link InboundFrameCheck} refuses the
   * frame before it reaches here; a container without that check delivers its first part.
   */
  void receiveBinary(Connection connection) {
    connection.close(CloseCode.UNSUPPORTED_DATA, InboundFrameCheck.BINARY_REFUSED);
  }

  private void receive(Connection connection, String text) {
    metrics.messageIn();
    Connection.Admission admission = connection.admitInbound();
    boolean admitted = admission == Connection.Admission.ADMIT;
    Command command;
    try {
      command = CommandParser.parse(text);
    } catch (ProtocolException problem) {
      if (admitted) {
        reject(connection, problem);
      } else {
        rateLimited(connection, admission, problem.replyTo());
      }
      return;
    }
    if (!admitted) {
      rateLimited(connection, admission, command.id());
      return;
    }
    try {
      execute(connection, command);
    } catch (ProtocolException problem) {
      reject(connection, problem);
    } catch (RuntimeException e) {
      if (StatementTimeout.cancelled(e)) {
        LOG.warning(
            "conn="
                + connection.id()
                + " command "
                + command.id()
                + " answered SERVER_BUSY: the database did not answer within the statement"
                + " timeout: "
                + e);
        reject(
            connection,
            new ProtocolException(
                ErrorCode.SERVER_BUSY,
                "the database did not answer within its statement timeout",
                command.id()));
        return;
      }
      LOG.log(Level.SEVERE, "conn=" + connection.id() + " command " + command.id() + " failed", e);
      reject(
          connection,
          new ProtocolException(
              ErrorCode.INTERNAL_ERROR, "the command could not be carried out", command.id()));
    }
  }

  private void execute(Connection connection, Command command) throws ProtocolException {
    if (command instanceof Command.Ping ping) {
      reply(connection, ServerFrames.pong(ping.id(), System.currentTimeMillis()));
    } else if (command instanceof Command.Subscribe subscribe) {
      subscribe(connection, subscribe);
    } else if (command instanceof Command.Unsubscribe unsubscribe) {
      unsubscribe(connection, unsubscribe);
    } else {
      databaseCommands.enter(command.id());
      try {
        executeReadingTheDatabase(connection, command);
      } finally {
        databaseCommands.leave();
      }
    }
  }

  private void executeReadingTheDatabase(Connection connection, Command command)
      throws ProtocolException {
    if (command instanceof Command.Presence query) {
      presence(connection, query);
    } else if (command instanceof Command.Snapshot query) {
      snapshot(connection, query);
    } else if (command instanceof Command.Refresh refresh) {
      refresh(connection, refresh);
    } else {
      FeatureCommands feature =
          features
              .handlerOf(command)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no feature handles " + command.getClass().getSimpleName()));
      reply(
          connection,
          ServerFrames.ok(
              command.id(),
              feature.handle(
                  new CommandContext(
                      connection.id(),
                      connection.caller(),
                      connection.operators(),
                      connection.handshake().remoteAddress()),
                  command)));
    }
  }

  private void subscribe(Connection connection, Command.Subscribe command)
      throws ProtocolException {
    if (connection.rooms().contains(command.room())) {
      throw new ProtocolException(
          ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + command.room(), command.id());
    }
    if (connection.rooms().size() >= settings.maxSubscriptions()) {
      throw new ProtocolException(
          ErrorCode.TOO_MANY_SUBSCRIPTIONS,
          "at most " + settings.maxSubscriptions() + " rooms per connection",
          command.id());
    }
    if (command.room().type().operatorsOnly() && !connection.operators()) {
      throw new ProtocolException(
          ErrorCode.FORBIDDEN_ROOM,
          command.room().type().prefix() + " rooms are open only on " + Handshake.OPERATORS,
          command.id());
    }
    // A place is taken after the checks that need no database: the access rule, the room's head,
    // a resume and a snapshot may each read it.
    subscribes.enter(command.id());
    try {
      subscribeInBound(connection, command);
    } finally {
      subscribes.leave();
    }
  }

  private void subscribeInBound(Connection connection, Command.Subscribe command)
      throws ProtocolException {
    AccessDecision decision = access.decide(connection.caller(), command.room());
    if (decision == AccessDecision.NOT_FOUND) {
      throw new ProtocolException(
          ErrorCode.ROOM_NOT_FOUND, command.room() + " does not exist", command.id());
    }
    if (decision != AccessDecision.GRANTED) {
      LOG.info(
          "conn="
              + connection.id()
              + " user="
              + connection.caller().subject()
              + " room="
              + command.room()
              + " code=FORBIDDEN_ROOM");
      throw new ProtocolException(
          ErrorCode.FORBIDDEN_ROOM, "no rule grants you " + command.room(), command.id());
    }
    // Checked after the permission, so a caller without it learns nothing about valid filters.
    Optional<String> invalidKey = access.invalidKey(command.room());
    if (invalidKey.isPresent()) {
      throw new ProtocolException(ErrorCode.INVALID_FILTER, invalidKey.get(), command.id());
    }
    // Recorded on the connection first, so a close racing this subscribe always finds the room.
    connection.rooms().add(command.room());
    try {
      channels.subscribe(connection, command.room(), command.since(), command.id());
    } catch (RuntimeException e) {
      connection.rooms().remove(command.room());
      throw e;
    }
    presence.joined(
        connection.id(),
        command.room(),
        connection.caller().subject(),
        connection.caller().displayName());
  }

  private void unsubscribe(Connection connection, Command.Unsubscribe command)
      throws ProtocolException {
    if (!connection.rooms().remove(command.room())) {
      throw new ProtocolException(
          ErrorCode.NOT_SUBSCRIBED, "not subscribed to " + command.room(), command.id());
    }
    channels.unsubscribe(connection, command.room());
    presence.left(connection.id(), command.room());
    reply(
        connection,
        ServerFrames.ok(
            command.id(),
            JSON.createObjectBuilder().add("room", command.room().toString()).build()));
  }

  /**
   * Swaps in a fresh token for the same user, moves the 4001 deadline, and checks every room again:
   * a room the new token no longer grants is ended with a {@code revoked} frame naming the reason.
   */
  private void refresh(Connection connection, Command.Refresh command) throws ProtocolException {
    Caller refreshed;
    try {
      refreshed = tokens.verify(command.token());
    } catch (TokenRejected rejected) {
      throw new ProtocolException(ErrorCode.TOKEN_REJECTED, rejected.getMessage(), command.id());
    }
    if (!refreshed.subject().equals(connection.caller().subject())) {
      throw new ProtocolException(
          ErrorCode.TOKEN_SUBJECT_MISMATCH,
          "the token is for "
              + refreshed.subject()
              + ", this connection for "
              + connection.caller().subject(),
          command.id());
    }
    connection.refreshed(refreshed);
    registry.scheduleExpiry(connection);
    JsonArrayBuilder revoked = JSON.createArrayBuilder();
    for (RoomName room : List.copyOf(connection.rooms())) {
      if (access.decide(refreshed, room) != AccessDecision.GRANTED) {
        connection.rooms().remove(room);
        channels.unsubscribe(connection, room);
        presence.left(connection.id(), room);
        connection.send(
            OutboundFrame.of(
                ServerFrames.revoked(
                    room.toString(), "the refreshed token no longer grants " + room)));
        revoked.add(room.toString());
      }
    }
    reply(
        connection,
        ServerFrames.ok(
            command.id(),
            JSON.createObjectBuilder()
                .add("expiresAt", refreshed.expiresAt().toString())
                .add("revoked", revoked)
                .build()));
  }

  private void presence(Connection connection, Command.Presence command) throws ProtocolException {
    if (!connection.rooms().contains(command.room())) {
      throw new ProtocolException(
          ErrorCode.NOT_SUBSCRIBED,
          "subscribe to " + command.room() + " to see who is in it",
          command.id());
    }
    if (!command.room().type().hasPresence()) {
      throw new ProtocolException(
          ErrorCode.NO_PRESENCE,
          command.room().type().prefix() + " rooms keep no presence",
          command.id());
    }
    reply(
        connection,
        ServerFrames.ok(
            command.id(),
            presence.members(
                command.room(),
                connection.id(),
                connection.caller().subject(),
                connection.caller().displayName())));
  }

  private void snapshot(Connection connection, Command.Snapshot command) throws ProtocolException {
    if (!connection.rooms().contains(command.room())) {
      throw new ProtocolException(
          ErrorCode.NOT_SUBSCRIBED,
          "subscribe to " + command.room() + " before asking for its state",
          command.id());
    }
    JsonObject state =
        snapshots
            .of(connection.caller(), command.room())
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ErrorCode.NO_SNAPSHOT, command.room() + " keeps no state", command.id()));
    reply(connection, ServerFrames.ok(command.id(), state));
  }

  private void rateLimited(Connection connection, Connection.Admission admission, String replyTo) {
    metrics.error(ErrorCode.RATE_LIMITED.name());
    if (admission == Connection.Admission.CLOSE) {
      connection.close(
          CloseCode.RATE_LIMITED,
          "kept sending over "
              + settings.ratePerSecond()
              + " commands per second after "
              + settings.rateLimitCloseAfter()
              + " RATE_LIMITED errors");
      return;
    }
    connection.send(
        OutboundFrame.of(
            ServerFrames.error(
                ErrorCode.RATE_LIMITED,
                "over "
                    + settings.ratePerSecond()
                    + " commands per second; this command was not carried out",
                replyTo)));
  }

  private void reject(Connection connection, ProtocolException problem) {
    metrics.error(problem.code().name());
    connection.send(OutboundFrame.of(ServerFrames.error(problem)));
  }

  private void reply(Connection connection, String frame) {
    connection.send(OutboundFrame.of(frame));
  }
}

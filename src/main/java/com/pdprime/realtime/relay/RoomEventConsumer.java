package com.pdprime.realtime.relay;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.websocket.ConnectionRegistry;
import com.pdprime.realtime.websocket.DisconnectOrder;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives every relayed room event and hands it to {@link RelayedDelivery}, which delivers it to
 * this instance's room channels; an operator's disconnect order is carried out here, and this
 * instance's own echoes are reported to {@link RelayEchoes}. Which resource adapter delivers them
 * is the server's: WEB-INF/glassfish-ejb-jar.xml names Payara's ActiveMQ adapter ({@code
 * activemq-rar}); WildFly uses its own messaging's default adapter.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Topic"),
      @ActivationConfigProperty(
          propertyName = "destination",
          propertyValue = RelayResources.TOPIC_NAME),
      // One session consumes the topic in the order the broker received it, and RelayedDelivery
      // keeps that order per room, so ephemeral events (calculation progress) reach clients before
      // the durable result sent after them. Decoding is all this thread does per event.
      @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1")
    })
// No transaction: delivery only queues frames, and a relay message lost in a crash is made up from
// history (gap fill, catch-up). A container transaction per message enlisted the adapter's XA
// resource for nothing and capped the relay's rate.
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RoomEventConsumer implements MessageListener {
  private static final Logger LOG = Logger.getLogger(RoomEventConsumer.class.getName());

  @Inject RelayedDelivery delivery;
  @Inject ConnectionRegistry registry;
  @Inject RelayEchoes echoes;
  @Inject InstanceIdentity instance;
  @Inject RealtimeMetrics metrics;
  @Inject NewerRelayFormats newerFormats;

  @Override
  public void onMessage(Message message) {
    Object event;
    try {
      Integer format =
          message.propertyExists(RelayMessages.FORMAT_PROPERTY)
              ? message.getIntProperty(RelayMessages.FORMAT_PROPERTY)
              : null;
      switch (RelayMessages.readable(format)) {
        case NEWER -> {
          skipNewer(message, format);
          return;
        }
        case INVALID ->
            throw new IllegalArgumentException(
                RelayMessages.FORMAT_PROPERTY + "=" + format + " is no format any release sends");
        case YES -> {}
      }
      event = RelayMessages.decode(((TextMessage) message).getText());
    } catch (JMSException | RoomName.InvalidRoomName | RuntimeException e) {
      // A message we cannot read is counted and logged; history catch-up still delivers durable
      // events.
      metrics.relayUnreadable();
      LOG.log(Level.SEVERE, "unreadable relay message " + describe(message), e);
      return;
    }
    try {
      if (event instanceof RelayEcho echo) {
        if (echo.instance().equals(instance.id())) {
          echoes.heard(echo.number());
        }
      } else if (event instanceof DisconnectOrder order) {
        int closed = registry.disconnect(order);
        LOG.info("disconnect order " + order + ": closed " + closed + " sockets on this instance");
      } else if (event instanceof StoredEvent stored) {
        delivery.deliver(stored);
      } else {
        delivery.deliver((EphemeralEvent) event);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      metrics.relayDeliveryFailed();
      LOG.log(
          Level.WARNING,
          "relay message {0} not delivered: interrupted while its lane was full",
          describe(message));
    }
  }

  /**
   * A later release's message: this instance cannot know what it means, so it is not decoded. A
   * durable event in it reaches this instance's subscribers by catch-up from history; an ephemeral
   * one does not.
   */
  private void skipNewer(Message message, int format) throws JMSException {
    metrics.relayNewerFormat();
    String sender = String.valueOf(message.getStringProperty(RelayMessages.SENDER_PROPERTY));
    if (newerFormats.firstFrom(sender, format)) {
      LOG.warning(
          "relay messages of format "
              + format
              + " from instance "
              + sender
              + ", a later release: this instance reads format "
              + RelayMessages.FORMAT
              + " and skips them (counted in realtime_relay_newer_format_total; durable events"
              + " are caught up from history, ephemeral ones are lost); upgrade it");
    }
  }

  private static String describe(Message message) {
    try {
      return message.getJMSMessageID();
    } catch (JMSException e) {
      return "(no message id: " + e + ")";
    }
  }
}

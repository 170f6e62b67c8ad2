package com.pdprime.realtime.relay;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.EphemeralEventArrived;
import com.pdprime.realtime.rooms.RoomEventArrived;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.websocket.ConnectionRegistry;
import com.pdprime.realtime.websocket.DisconnectOrder;
import com.pdprime.realtime.websocket.RoomChannels;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives every relayed room event and hands it to this instance's room channels. Which resource
 * adapter delivers them is the server's: WEB-INF/glassfish-ejb-jar.xml names Payara's ActiveMQ
 * adapter ({@code activemq-rar}); WildFly uses its own messaging's default adapter.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Topic"),
      @ActivationConfigProperty(
          propertyName = "destination",
          propertyValue = RelayResources.TOPIC_NAME),
      // One session consumes the topic in the order the broker received it, so ephemeral events
      // (calculation progress) reach clients before the durable result sent after them. Delivery
      // itself only queues frames, so one consumer keeps up.
      @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1")
    })
// No transaction: delivery only queues frames, and a relay message lost in a crash is made up from
// history (gap fill, catch-up). A container transaction per message enlisted the adapter's XA
// resource for nothing and capped the relay's rate.
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RoomEventConsumer implements MessageListener {
  private static final Logger LOG = Logger.getLogger(RoomEventConsumer.class.getName());

  @Inject RoomChannels channels;
  @Inject ConnectionRegistry registry;
  @Inject RealtimeMetrics metrics;
  @Inject Event<RoomEventArrived> arrived;
  @Inject Event<EphemeralEventArrived> ephemeralArrived;

  @Override
  public void onMessage(Message message) {
    Object event;
    try {
      event = RelayMessages.decode(((TextMessage) message).getText());
    } catch (JMSException | RoomName.InvalidRoomName | RuntimeException e) {
      // A message we cannot read is counted and logged; history catch-up still delivers durable
      // events.
      metrics.relayUnreadable();
      LOG.log(Level.SEVERE, "unreadable relay message " + describe(message), e);
      return;
    }
    if (event instanceof DisconnectOrder order) {
      int closed = registry.disconnect(order);
      LOG.info("disconnect order " + order + ": closed " + closed + " sockets on this instance");
    } else if (event instanceof StoredEvent stored) {
      metrics.relayLag(System.currentTimeMillis() - stored.publishedAtMillis());
      channels.deliver(stored);
      arrived.fire(new RoomEventArrived(stored.room(), stored.name()));
    } else {
      EphemeralEvent ephemeral = (EphemeralEvent) event;
      channels.deliver(ephemeral);
      ephemeralArrived.fire(new EphemeralEventArrived(ephemeral));
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

package com.pdprime.realtime.relay;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.rooms.RoomEventStored;
import com.pdprime.realtime.rooms.StoredEvent;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay over a JMS topic. Uses the classic JMS API because ActiveMQ's resource adapter does not
 * support {@code JMSContext} ("createContext(sessionMode) is not supported").
 */
@ApplicationScoped
public class JmsRoomRelay implements RoomRelay {
  private static final Logger LOG = Logger.getLogger(JmsRoomRelay.class.getName());

  @Resource(lookup = RelayResources.CONNECTION_FACTORY)
  ConnectionFactory connectionFactory;

  @Resource(lookup = RelayResources.TOPIC)
  Topic topic;

  @Inject RealtimeMetrics metrics;

  /** Only committed events are relayed: a rolled-back publish never reaches a socket. */
  void relayCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoomEventStored stored) {
    send(stored.event());
  }

  @Override
  public void send(StoredEvent event) {
    try (Connection connection = connectionFactory.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      session.createProducer(topic).send(session.createTextMessage(RelayMessages.encode(event)));
      metrics.relaySent();
    } catch (JMSException | RuntimeException e) {
      metrics.relayFailed();
      LOG.log(
          Level.WARNING,
          "relay send failed for room={0} seq={1}; subscribers catch up from history: {2}",
          new Object[] {event.room(), event.seq(), e.toString()});
    }
  }
}

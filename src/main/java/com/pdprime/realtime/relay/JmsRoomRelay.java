package com.pdprime.realtime.relay;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.monitoring.SystemAlerts;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomEventStored;
import com.pdprime.realtime.rooms.StoredEvent;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay over a JMS topic. Uses the classic JMS API because ActiveMQ's resource adapter does not
 * support {@code JMSContext} ("createContext(sessionMode) is not supported").
 *
 * <p>One connection, session and producer serve every send, behind a lock: opening a session and a
 * producer per event costs the broker two synchronous round trips and two registrations, which
 * capped the publish rate (bench/RESULTS.md, profile of round r5). Messages are non-persistent: the
 * database is the durable copy of every event, and catch-up from history makes up a relay message
 * lost in a broker crash, so the broker need not store or acknowledge them one by one.
 */
@ApplicationScoped
public class JmsRoomRelay implements RoomRelay {
  private static final Logger LOG = Logger.getLogger(JmsRoomRelay.class.getName());

  /** Alerts are per instance: one instance recovering must not resolve another's outage. */
  private static final String ALERT_SOURCE_PREFIX = "relay:";

  @Resource(lookup = RelayResources.CONNECTION_FACTORY)
  ConnectionFactory connectionFactory;

  @Resource(lookup = RelayResources.TOPIC)
  Topic topic;

  @Inject RealtimeMetrics metrics;
  @Inject SystemAlerts alerts;
  @Inject InstanceIdentity instance;

  private final AtomicBoolean failing = new AtomicBoolean();

  /** Only committed events are relayed: a rolled-back publish never reaches a socket. */
  void relayCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoomEventStored stored) {
    send(stored.event());
  }

  @Override
  public void send(StoredEvent event) {
    send(RelayMessages.encode(event), event.room() + " seq=" + event.seq());
  }

  @Override
  public void send(EphemeralEvent event) {
    send(RelayMessages.encode(event), event.room() + " ephemeral " + event.name());
  }

  @Override
  public boolean probe() {
    try (Connection connection = connectionFactory.createConnection()) {
      connection.start();
      recovered();
      return true;
    } catch (JMSException | RuntimeException e) {
      failed(e);
      return false;
    }
  }

  private void send(String body, String what) {
    try (Connection connection = connectionFactory.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      MessageProducer producer = session.createProducer(topic);
      producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      producer.send(session.createTextMessage(body));
      metrics.relaySent();
      recovered();
    } catch (JMSException | RuntimeException e) {
      metrics.relayFailed();
      LOG.log(
          Level.WARNING,
          "relay send failed for {0}; subscribers catch up from history: {1}",
          new Object[] {what, e.toString()});
      failed(e);
    }
  }

  private void failed(Exception cause) {
    if (failing.compareAndSet(false, true)) {
      alerts.raise(
          ALERT_SOURCE_PREFIX + instance.id(),
          "CRITICAL",
          "instance "
              + instance.id()
              + " cannot reach the message broker; events are delivered"
              + " from history every catch-up interval until it returns",
          cause.toString());
    }
  }

  private void recovered() {
    if (failing.compareAndSet(true, false)) {
      alerts.resolve(ALERT_SOURCE_PREFIX + instance.id());
      LOG.info("relay sends succeed again; alert resolved");
    }
  }
}

package com.pdprime.realtime.relay;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.AlertReporter;
import com.pdprime.realtime.monitoring.AlertSeverity;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomEventsStored;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.websocket.DisconnectOrder;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
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
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay over a JMS topic. Uses the classic JMS API because ActiveMQ's resource adapter does not
 * support {@code JMSContext} ("createContext(sessionMode) is not supported").
 *
 * <p>Publishers only queue; one sender thread sends everything, in queue order, through one
 * connection, session and producer that it opens itself and reopens after a failure. A session and
 * a producer per event cost the broker synchronous round trips and held every publishing request
 * for them; a connection shared by the request threads was closed under them by the adapter's pool
 * after a broker restart (bench/RESULTS.md, {@code ClusterIT}). Messages are non-persistent: the
 * database is the durable copy of every event, and catch-up from history makes up a relay message
 * lost in a broker crash, so the broker need not store or acknowledge them one by one.
 */
@ApplicationScoped
public class JmsRoomRelay implements RoomRelay {
  private static final Logger LOG = Logger.getLogger(JmsRoomRelay.class.getName());

  /**
   * The alert type of a broker this instance cannot reach; its source is the instance, so one
   * instance recovering does not resolve another's outage. {@link RelayMonitor} reports the same.
   */
  static final String ALERT_TYPE = "relay";

  /**
   * Messages waiting for the sender. A full queue means the broker cannot keep up or is hanging; a
   * message refused then is a failed send (counted, logged, alerted) that catch-up makes up.
   */
  static final int QUEUE_CAPACITY = 10_000;

  @Resource(lookup = RelayResources.CONNECTION_FACTORY)
  ConnectionFactory connectionFactory;

  @Resource(lookup = RelayResources.TOPIC)
  Topic topic;

  @Resource ManagedThreadFactory threads;

  @Inject RealtimeMetrics metrics;
  @Inject AlertReporter alerts;
  @Inject InstanceIdentity instance;
  @Inject RelayEchoes echoes;

  private final AtomicBoolean failing = new AtomicBoolean();
  private final BlockingQueue<Outgoing> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private Thread sender;

  /** Used by the sender thread only; null until its first send and after a failed one. */
  private Connection connection;

  private Session session;
  private MessageProducer producer;

  private record Outgoing(String body, String what) {}

  @PostConstruct
  void start() {
    sender = threads.newThread(this::sendQueued);
    sender.setName("realtime-relay-sender");
    metrics.relayQueueGauge(queue::size);
    sender.start();
  }

  @PreDestroy
  void stop() {
    sender.interrupt();
  }

  /** Only committed events are relayed: a rolled-back publish never reaches a socket. */
  void relayCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoomEventsStored stored) {
    stored.events().forEach(this::send);
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
  public void send(DisconnectOrder order) {
    send(RelayMessages.encode(order), "disconnect " + order);
  }

  /** Sends this instance's echo, which only this instance's consumer takes up. */
  public void send(RelayEcho echo) {
    send(RelayMessages.encode(echo), "echo " + echo.number());
  }

  @Override
  public boolean probe() {
    try (Connection probe = connectionFactory.createConnection()) {
      probe.start();
      recovered();
      return true;
    } catch (JMSException | RuntimeException e) {
      failed(e);
      return false;
    }
  }

  @Override
  public OptionalLong unheardMillis() {
    return echoes.unheardMillis(RelayEchoes.now());
  }

  private void send(String body, String what) {
    if (!queue.offer(new Outgoing(body, what))) {
      metrics.relayFailed();
      LOG.log(
          Level.WARNING,
          "relay queue full ({0} messages) for {1}; subscribers catch up from history",
          new Object[] {QUEUE_CAPACITY, what});
      failed(new IllegalStateException("relay queue full"));
    }
  }

  private void sendQueued() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        transmit(queue.take());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeConnection();
    }
  }

  private void transmit(Outgoing message) {
    try {
      if (producer == null) {
        connection = connectionFactory.createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(topic);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      }
      TextMessage text = session.createTextMessage(message.body());
      text.setIntProperty(RelayMessages.FORMAT_PROPERTY, RelayMessages.FORMAT);
      text.setStringProperty(RelayMessages.SENDER_PROPERTY, instance.id());
      producer.send(text);
    } catch (JMSException | RuntimeException e) {
      metrics.relayFailed();
      LOG.log(
          Level.WARNING,
          "relay send failed for {0}; subscribers catch up from history: {1}",
          new Object[] {message.what(), e.toString()});
      // The next message opens a fresh connection: a broken one never heals.
      closeConnection();
      failed(e);
      return;
    }
    metrics.relaySent();
    recovered();
  }

  private void closeConnection() {
    Connection open = connection;
    connection = null;
    session = null;
    producer = null;
    if (open == null) {
      return;
    }
    try {
      open.close();
    } catch (JMSException | RuntimeException e) {
      LOG.log(Level.INFO, "closing the broken relay connection failed too: {0}", e.toString());
    }
  }

  private void failed(Exception cause) {
    echoes.doubt(RelayEchoes.now());
    if (failing.compareAndSet(false, true)) {
      alerts.raise(
          ALERT_TYPE,
          instance.id(),
          AlertSeverity.CRITICAL,
          RelayMonitor.downMessage(instance.id()),
          cause.toString());
    }
  }

  private void recovered() {
    if (failing.compareAndSet(true, false)) {
      alerts.clear(ALERT_TYPE, instance.id());
      LOG.info("relay sends succeed again; alert resolved");
    }
  }
}

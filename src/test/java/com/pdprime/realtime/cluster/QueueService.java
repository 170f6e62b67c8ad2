package com.pdprime.realtime.cluster;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * A backend service on the cluster's broker: it sends batches to the publish queue as a service in
 * another process would (ActiveMQ's own client over TCP) and reads the answers from a temporary
 * reply queue.
 */
final class QueueService implements AutoCloseable {
  static final String QUEUE = "pdprime.realtime.publish";

  private final Connection connection;
  private final Session session;
  private final MessageProducer producer;
  private final TemporaryQueue replies;
  private final MessageConsumer answers;

  private QueueService(String brokerUrl) throws JMSException {
    connection = new ActiveMQConnectionFactory(brokerUrl).createConnection();
    connection.start();
    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    producer = session.createProducer(session.createQueue(QUEUE));
    replies = session.createTemporaryQueue();
    answers = session.createConsumer(replies);
  }

  static QueueService connect(String brokerUrl) throws JMSException {
    return new QueueService(brokerUrl);
  }

  /** Sends the batch with {@code authorization} and waits for its answer on the reply queue. */
  JsonObject request(String authorization, String batch, Duration timeout) throws JMSException {
    return json(exchange(message(authorization, batch), timeout));
  }

  /** An answer to a batch with an idempotency key, and whether it is an earlier batch's. */
  record KeyedAnswer(JsonObject answer, boolean replayed) {}

  /** Sends the batch with the idempotency key {@code key} and waits for its answer. */
  KeyedAnswer requestKeyed(String authorization, String batch, String key, Duration timeout)
      throws JMSException {
    TextMessage message = message(authorization, batch);
    message.setStringProperty("IdempotencyKey", key);
    TextMessage answer = exchange(message, timeout);
    return new KeyedAnswer(json(answer), answer.getBooleanProperty("IdempotentReplayed"));
  }

  /** What a message was answered, with the message's id. */
  record Sent(String messageId, JsonObject answer, boolean replayed) {}

  /** What the test does while the broker holds a message it was sent, before any delivery. */
  interface BeforeDelivery {
    void run(String messageId) throws Exception;
  }

  /**
   * Sends the batch, without an idempotency key, in a transaction of the test's: {@code
   * beforeDelivery} runs with the message's id while the broker holds the message back, then the
   * send commits and the answer is awaited.
   */
  Sent requestUnkeyed(
      String authorization, String batch, BeforeDelivery beforeDelivery, Duration timeout)
      throws Exception {
    Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
    try (MessageProducer sender = transacted.createProducer(transacted.createQueue(QUEUE))) {
      TextMessage message = transacted.createTextMessage(batch);
      message.setStringProperty("Authorization", authorization);
      String correlation = UUID.randomUUID().toString();
      message.setJMSReplyTo(replies);
      message.setJMSCorrelationID(correlation);
      sender.send(message);
      beforeDelivery.run(message.getJMSMessageID());
      transacted.commit();
      TextMessage answer = awaitAnswer(batch, correlation, timeout);
      return new Sent(
          message.getJMSMessageID(), json(answer), answer.getBooleanProperty("IdempotentReplayed"));
    } finally {
      transacted.close();
    }
  }

  private TextMessage exchange(TextMessage message, Duration timeout) throws JMSException {
    String correlation = UUID.randomUUID().toString();
    message.setJMSReplyTo(replies);
    message.setJMSCorrelationID(correlation);
    producer.send(message);
    return awaitAnswer(message.getText(), correlation, timeout);
  }

  private TextMessage awaitAnswer(String text, String correlation, Duration timeout)
      throws JMSException {
    TextMessage answer = (TextMessage) answers.receive(timeout.toMillis());
    if (answer == null) {
      throw new AssertionError("no answer to " + text + " within " + timeout);
    }
    if (!correlation.equals(answer.getJMSCorrelationID())) {
      throw new AssertionError(
          "the answer names correlation " + answer.getJMSCorrelationID() + ", not " + correlation);
    }
    return answer;
  }

  private static JsonObject json(TextMessage answer) throws JMSException {
    try (var reader = Json.createReader(new StringReader(answer.getText()))) {
      return reader.readObject();
    }
  }

  /** Sends the batch in message group {@code group}, asking for no answer. */
  void send(String authorization, String batch, String group) throws JMSException {
    TextMessage message = message(authorization, batch);
    message.setStringProperty("JMSXGroupID", group);
    producer.send(message);
  }

  /** Sends the batch with the idempotency key {@code key}, asking for no answer. */
  void sendKeyed(String authorization, String batch, String key) throws JMSException {
    TextMessage message = message(authorization, batch);
    message.setStringProperty("IdempotencyKey", key);
    producer.send(message);
  }

  /**
   * Sends the batches in message group {@code group} in one transaction, so the broker holds them
   * all before it hands the first to a consumer: the consumer meets a backlog.
   */
  void sendAtOnce(String authorization, List<String> batches, String group) throws JMSException {
    Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
    try (MessageProducer burst = transacted.createProducer(transacted.createQueue(QUEUE))) {
      for (String batch : batches) {
        TextMessage message = transacted.createTextMessage(batch);
        message.setStringProperty("Authorization", authorization);
        message.setStringProperty("JMSXGroupID", group);
        burst.send(message);
      }
      transacted.commit();
    } finally {
      transacted.close();
    }
  }

  /**
   * The texts of the messages that reach ActiveMQ's dead-letter queue until none has come for
   * {@code quiet}, waiting at most {@code first} for the first.
   */
  List<String> deadLetters(Duration first, Duration quiet) throws JMSException {
    List<String> texts = new ArrayList<>();
    Session reading = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    try (MessageConsumer dlq = reading.createConsumer(reading.createQueue("ActiveMQ.DLQ"))) {
      TextMessage dead = (TextMessage) dlq.receive(first.toMillis());
      while (dead != null) {
        texts.add(dead.getText());
        dead = (TextMessage) dlq.receive(quiet.toMillis());
      }
    } finally {
      reading.close();
    }
    return texts;
  }

  private TextMessage message(String authorization, String batch) throws JMSException {
    TextMessage message = session.createTextMessage(batch);
    message.setStringProperty("Authorization", authorization);
    return message;
  }

  @Override
  public void close() throws JMSException {
    connection.close();
  }
}

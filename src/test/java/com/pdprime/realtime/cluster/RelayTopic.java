package com.pdprime.realtime.cluster;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * The relay's topic as an instance of another release sees it: sends a message with the format and
 * sender properties it chooses (relay/RelayMessages).
 */
final class RelayTopic implements AutoCloseable {
  static final String TOPIC = "pdprime.realtime.rooms";

  private final Connection connection;
  private final Session session;
  private final MessageProducer producer;

  RelayTopic(String brokerUrl) throws JMSException {
    connection = new ActiveMQConnectionFactory(brokerUrl).createConnection();
    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    producer = session.createProducer(session.createTopic(TOPIC));
  }

  void send(String body, int format, String sender) throws JMSException {
    TextMessage message = session.createTextMessage(body);
    message.setIntProperty("RelayFormat", format);
    message.setStringProperty("RelayInstance", sender);
    producer.send(message);
  }

  @Override
  public void close() throws JMSException {
    connection.close();
  }
}

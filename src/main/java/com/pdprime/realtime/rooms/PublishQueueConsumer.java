package com.pdprime.realtime.rooms;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.TokenVerification;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JMS way in: backend services on the instances' broker send a {@code TextMessage} holding a
 * batch, {@code {"events": [{room, name, data}, …]}}, to the queue {@value #QUEUE_NAME}, with the
 * string property {@code Authorization: Bearer <token>} (a token holding {@code realtime:publish}).
 * Each message is checked as {@code POST /api/v1/events} is ({@link QueuedBatch}) and stored by the
 * same sequencer ({@link PublishService}); a message with {@code JMSReplyTo} is answered there with
 * the batch API's answer, correlated by its {@code JMSCorrelationID} or else its {@code
 * JMSMessageID}. docs/protocol.md §11.19 describes the contract.
 *
 * <p>The message is consumed in the transaction that stores its events: it is acknowledged exactly
 * when they commit, and a failed store rolls both back, so the broker redelivers it (and after its
 * redelivery limit moves it to its dead-letter queue) instead of losing it. Its events are stored
 * under its key, its own or one made from its message id, written in that transaction: a delivery
 * after a commit that was taken as failed although the database carried it out finds the key and
 * stores nothing. A refused message stores nothing and is consumed: sending it again would be
 * refused again.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(
          propertyName = "destination",
          propertyValue = PublishQueueConsumer.QUEUE_NAME),
      // One session per consumer stores messages in the order the broker hands them over. The
      // broker keeps a message group's order (JMSXGroupID: one consumer at a time) across this
      // consumer, the second one WEB-INF/ejb-jar.xml deploys on every instance, and the other
      // instances'; WEB-INF/jboss-ejb3.xml says the same to WildFly.
      @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
      // One message, one transaction, also when messages wait: with ActiveMQ's batches a message
      // the database keeps refusing would take its batch-mates to the dead-letter queue with it.
      // ActiveMQ's default, set so that whoever turns batches on for speed meets this reason (and
      // ClusterIT's backlog test). WildFly's Artemis adapter does not read the property.
      @ActivationConfigProperty(propertyName = "enableBatch", propertyValue = "false")
    })
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class PublishQueueConsumer implements MessageListener {
  private static final Logger LOG = Logger.getLogger(PublishQueueConsumer.class.getName());

  /** The queue's physical name on the broker; the server configurations define it. */
  static final String QUEUE_NAME = "pdprime.realtime.publish";

  /** The message property carrying the publisher's token, as HTTP's header does. */
  static final String AUTHORIZATION = "Authorization";

  /**
   * The message property carrying its idempotency key: REST's {@code Idempotency-Key}, spelled as a
   * JMS property name must be (a Java identifier).
   */
  static final String IDEMPOTENCY_KEY = "IdempotencyKey";

  /** The answer's property saying it is an earlier message's answer, as REST's header does. */
  static final String IDEMPOTENT_REPLAYED = "IdempotentReplayed";

  @Inject IdempotentBatchService batches;
  @Inject UnkeyedMessageStore unkeyed;
  @Inject Event<RoomEventsStored> announced;
  @Inject RoomAccessPolicy access;
  @Inject TokenVerification tokens;
  @Inject RealtimeMetrics metrics;

  /**
   * The relay's connection factory: a reply sent through it is part of the message's transaction.
   */
  @Resource(lookup = "jms/realtimeConnectionFactory")
  ConnectionFactory replies;

  @Override
  public void onMessage(Message message) {
    BatchAnswer answer;
    try {
      answer = publish(message);
    } catch (JMSException unreadable) {
      metrics.publishQueueRolledBack();
      throw new IllegalStateException(
          "the publish-queue message "
              + id(message)
              + " could not be read; the broker redelivers"
              + " it",
          unreadable);
    }
    reply(message, answer);
  }

  private BatchAnswer publish(Message message) throws JMSException {
    Caller caller;
    QueuedBatch.Key key;
    JsonObject body;
    List<EventBatch.Entry> entries;
    try {
      caller =
          QueuedBatch.publisher(message.getStringProperty(AUTHORIZATION), tokens::verifyBearer);
      key = QueuedBatch.key(message.getStringProperty(IDEMPOTENCY_KEY), message.getJMSMessageID());
      body = QueuedBatch.body(message instanceof TextMessage text ? text.getText() : null);
      entries = EventBatch.read(body, access::serverOnly);
    } catch (PublishRefused refused) {
      return refused(message, refused);
    }
    List<PublishRequest> accepted = EventBatch.accepted(entries);
    BatchPlaces places;
    try {
      places = store(caller.getName(), key, message.getJMSRedelivered(), body, accepted);
    } catch (IdempotencyKeyConflict reused) {
      return refused(
          message,
          new PublishRefused(
              422,
              "IDEMPOTENCY_KEY_REUSED",
              reused.getMessage(),
              "Use a new IdempotencyKey for a different batch."));
    } catch (RuntimeException failed) {
      metrics.publishQueueRolledBack();
      LOG.log(
          Level.WARNING,
          "publish-queue message "
              + id(message)
              + " from "
              + caller.getName()
              + ": its "
              + accepted.size()
              + " events were not stored; the transaction rolls back and the broker redelivers it",
          failed);
      throw failed;
    }
    if (places.replayed()) {
      // Its refusals were counted when the batch was first stored; this is the same batch again.
      LOG.info(
          "publish-queue message "
              + id(message)
              + " from "
              + caller.getName()
              + (key.own()
                  ? ": its IdempotencyKey holds a stored batch"
                  : ": delivered again after its events were stored")
              + "; answered with that batch's places, nothing stored");
    } else {
      logRefusedEvents(message, entries, caller);
    }
    return new BatchAnswer(EventBatch.answer(entries, places.places()), places.replayed());
  }

  /**
   * Stores the accepted events in the message's transaction, under its key ({@link
   * QueuedBatch#key}): a message whose key holds a committed batch (sent again with its key, or
   * delivered again after its commit) stores nothing and gets that batch's places; a sender's key
   * still held by a transaction that has not ended is thrown, so this one rolls back and the broker
   * delivers the message again.
   */
  private BatchPlaces store(
      String publishedBy,
      QueuedBatch.Key key,
      boolean redelivered,
      JsonObject body,
      List<PublishRequest> accepted)
      throws IdempotencyKeyConflict {
    if (accepted.isEmpty()) {
      return BatchPlaces.NONE;
    }
    if (!key.own()) {
      return unkeyed.store(publishedBy, key.value(), redelivered, body, accepted);
    }
    GroupTransaction noted = new GroupTransaction();
    BatchPlaces places;
    try {
      places = batches.store(publishedBy, key.value(), body, accepted, noted);
    } catch (IdempotencyKeyConflict conflict) {
      if (conflict.inUse()) {
        throw new IllegalStateException(
            "the IdempotencyKey is held by a batch whose transaction has not ended", conflict);
      }
      throw conflict;
    }
    if (!noted.stored().isEmpty()) {
      // Relayed once the message's transaction commits (an AFTER_SUCCESS observer).
      announced.fire(new RoomEventsStored(noted.stored()));
    }
    return places;
  }

  private BatchAnswer refused(Message message, PublishRefused refused) {
    metrics.publishQueueRefused(refused.code());
    LOG.warning(
        "publish-queue message "
            + id(message)
            + " refused, nothing stored: "
            + refused.code()
            + " "
            + refused.getMessage());
    return BatchAnswer.refused(refused);
  }

  private void logRefusedEvents(Message message, List<EventBatch.Entry> entries, Caller caller) {
    Map<String, Integer> codes = new TreeMap<>();
    for (EventBatch.Entry entry : entries) {
      if (!entry.accepted()) {
        metrics.publishQueueRefused(entry.refusal().code());
        codes.merge(entry.refusal().code(), 1, Integer::sum);
      }
    }
    if (!codes.isEmpty()) {
      LOG.warning(
          "publish-queue message "
              + id(message)
              + " from "
              + caller.getName()
              + ": events refused by code "
              + codes
              + ", the others stored");
    }
  }

  /**
   * Sends the answer to the message's {@code JMSReplyTo}, if any. A reply that cannot be sent (the
   * requester's temporary queue is gone) does not undo the stored events: it is logged and counted,
   * and the events are in the rooms' history.
   */
  private void reply(Message request, BatchAnswer answer) {
    try {
      Destination replyTo = request.getJMSReplyTo();
      if (replyTo == null) {
        return;
      }
      try (Connection connection = replies.createConnection()) {
        // The arguments are ignored in a transaction (the session is the transaction's); ActiveMQ's
        // adapter supports only this form, not JMS 2's createSession().
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TextMessage reply = session.createTextMessage(answer.body().toString());
        reply.setBooleanProperty(IDEMPOTENT_REPLAYED, answer.replayed());
        String correlation = request.getJMSCorrelationID();
        reply.setJMSCorrelationID(correlation != null ? correlation : request.getJMSMessageID());
        session.createProducer(replyTo).send(reply);
      }
    } catch (JMSException | RuntimeException failed) {
      metrics.publishQueueReplyFailed();
      LOG.warning(
          "the answer to publish-queue message "
              + id(request)
              + " was not sent (its outcome stands): "
              + failed);
    }
  }

  private static String id(Message message) {
    try {
      return message.getJMSMessageID();
    } catch (JMSException e) {
      return "(no message id: " + e + ")";
    }
  }
}

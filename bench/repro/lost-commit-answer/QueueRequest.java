import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * Sends one publish-queue message without an IdempotencyKey and prints its answer: the message id,
 * whether the answer is an earlier delivery's (IdempotentReplayed) and the answer's text; or the
 * message id and "no answer" when none came within WAIT_SECONDS.
 *
 * <pre>
 * java -cp CLASSPATH QueueRequest.java BROKER_URL TOKEN BATCH_JSON WAIT_SECONDS
 * </pre>
 */
public class QueueRequest {
  public static void main(String[] args) throws JMSException {
    try (Connection connection = new ActiveMQConnectionFactory(args[0]).createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      TemporaryQueue replies = session.createTemporaryQueue();
      TextMessage request = session.createTextMessage(args[2]);
      request.setStringProperty("Authorization", "Bearer " + args[1]);
      request.setJMSReplyTo(replies);
      session.createProducer(session.createQueue("pdprime.realtime.publish")).send(request);
      Message answer = session.createConsumer(replies).receive(Long.parseLong(args[3]) * 1000);
      if (answer == null) {
        System.out.println(request.getJMSMessageID() + " no answer within " + args[3] + " s");
        return;
      }
      System.out.println(
          request.getJMSMessageID()
              + " replayed="
              + answer.getBooleanProperty("IdempotentReplayed")
              + " "
              + ((TextMessage) answer).getText());
    }
  }
}

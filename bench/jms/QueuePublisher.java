import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * The generator's way into PD Prime's publish queue (docs/protocol.md §11.19), for run.mjs
 * {@code --publish-via jms}: a service on the instance's broker, as a backend would be.
 *
 * <pre>
 * PUBLISH_AUTHORIZATION="Bearer TOKEN" java -cp CLASSPATH jms/QueuePublisher.java BROKER_URL
 * </pre>
 *
 * <p>Prints {@code READY} once connected. Then reads one batch per line from standard input,
 * {@code ID<TAB>{"events":[…]}}, and sends each as a {@code TextMessage} to {@code
 * pdprime.realtime.publish} with the {@code Authorization} property, {@code JMSCorrelationID} ID
 * and {@code JMSReplyTo} the queue {@value #ANSWERS}; prints each answer as {@code ID<TAB>ANSWER}
 * on one line when it arrives. A named queue, not a temporary one: an
 * instance's broker connection may refuse to send to a temporary queue it has not yet heard of
 * through advisories (docs/operations.md, {@code REALTIME_BROKER_URL}), and the bench's broker runs
 * without them. Sends one message at a time and waits for the broker's receipt (a persistent
 * message, as a service that must not lose it sends); the send's wait is the generator's send lag.
 * Any JMS failure ends the process with status 1, and the generator with it: no publish is dropped
 * unnoticed. CLASSPATH: scripts/servers.sh, {@code jms_classpath}.
 */
public final class QueuePublisher {
  static final String QUEUE = "pdprime.realtime.publish";
  static final String ANSWERS = "pdprime.bench.publish-answers";

  public static void main(String[] args) throws Exception {
    String authorization = System.getenv("PUBLISH_AUTHORIZATION");
    if (args.length != 1 || authorization == null) {
      System.err.println(
          "usage: PUBLISH_AUTHORIZATION='Bearer TOKEN' java -cp CP QueuePublisher.java BROKER_URL");
      System.exit(2);
    }
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    Connection connection = new ActiveMQConnectionFactory(args[0]).createConnection();
    connection.setExceptionListener(
        failure -> fail("the broker connection failed", failure));
    Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue answers = listening.createQueue(ANSWERS);
    listening.createConsumer(answers).setMessageListener(answer -> print(answer, out));
    connection.start();
    Session sending = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer producer = sending.createProducer(sending.createQueue(QUEUE));
    out.println("READY");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      int tab = line.indexOf('\t');
      if (tab < 1) {
        fail("a line without ID<TAB>: " + line, null);
      }
      TextMessage message = sending.createTextMessage(line.substring(tab + 1));
      message.setStringProperty("Authorization", authorization);
      message.setJMSCorrelationID(line.substring(0, tab));
      message.setJMSReplyTo(answers);
      producer.send(message);
    }
    // The generator closes standard input once every answer it waits for has come.
    connection.close();
  }

  private static void print(Message answer, PrintStream out) {
    try {
      String text = ((TextMessage) answer).getText();
      synchronized (out) {
        out.println(answer.getJMSCorrelationID() + "\t" + text.replace('\n', ' '));
      }
    } catch (JMSException | ClassCastException unreadable) {
      fail("an answer could not be read", unreadable);
    }
  }

  private static void fail(String what, Exception cause) {
    System.err.println("QueuePublisher: " + what + (cause == null ? "" : ": " + cause));
    System.exit(1);
  }
}

package com.pdprime.realtime.notifications;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.quotes.QuoteMilestone;
import com.pdprime.realtime.security.LogSafe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.logging.Logger;

/**
 * Turns quote milestones into notifications. Observed inside the quote's transaction (not after
 * success), so the notification is stored with the change or not at all; its event still reaches
 * sockets only after commit, like every durable event.
 *
 * <p>The customer is told of every milestone. The agent who created the quote (when it is not the
 * customer) is told when it is bound and when it expired: the moments an agent acts on;
 * calculations and reminders are the customer's. Priorities: bound and the one-hour reminder are
 * critical (they must not wait for morning); the rest are normal, held for the customer's business
 * hours. The reminders and the expiry share a collapse key, so a held 24-hour reminder is replaced
 * by what follows it.
 */
@ApplicationScoped
public class QuoteNotifications {
  private static final Logger LOG = Logger.getLogger(QuoteNotifications.class.getName());

  @Inject NotificationService notifications;

  void on(@Observes QuoteMilestone milestone) {
    String quote = milestone.quoteId();
    String expiryKey = "quote:" + quote + ":expiry";
    switch (milestone.kind()) {
      case CALCULATED ->
          tell(
              milestone.customerSubject(),
              NotificationTypes.QUOTE_CALCULATED,
              Priority.NORMAL,
              "Your quote is ready",
              "Your premium has been calculated; it is valid until " + milestone.validUntil() + ".",
              milestone,
              "quote:" + quote + ":calculated");
      case BOUND -> {
        String title = "Quote bound";
        String body = "The quote has been bound: the policy is in force.";
        tell(
            milestone.customerSubject(),
            NotificationTypes.QUOTE_BOUND,
            Priority.CRITICAL,
            title,
            body,
            milestone,
            null);
        agent(milestone, NotificationTypes.QUOTE_BOUND, Priority.CRITICAL, title, body, null);
      }
      case EXPIRES_IN_24_HOURS ->
          tell(
              milestone.customerSubject(),
              NotificationTypes.QUOTE_EXPIRING,
              Priority.NORMAL,
              "Your quote expires in 24 hours",
              "Bind it before " + milestone.validUntil() + " to keep this premium.",
              milestone,
              expiryKey);
      case EXPIRES_IN_1_HOUR ->
          tell(
              milestone.customerSubject(),
              NotificationTypes.QUOTE_EXPIRING,
              Priority.CRITICAL,
              "Your quote expires in 1 hour",
              "Bind it before " + milestone.validUntil() + " to keep this premium.",
              milestone,
              expiryKey);
      case EXPIRED -> {
        String title = "Quote expired";
        String body = "The premium's validity ended; change a field and calculate again.";
        tell(
            milestone.customerSubject(),
            NotificationTypes.QUOTE_EXPIRED,
            Priority.NORMAL,
            title,
            body,
            milestone,
            expiryKey);
        agent(milestone, NotificationTypes.QUOTE_EXPIRED, Priority.NORMAL, title, body, expiryKey);
      }
    }
  }

  private void agent(
      QuoteMilestone milestone,
      String type,
      Priority priority,
      String title,
      String body,
      String collapseKey) {
    String agent = milestone.agentSubject();
    if (agent != null && !agent.equals(milestone.customerSubject())) {
      tell(agent, type, priority, title, body, milestone, collapseKey);
    }
  }

  private void tell(
      String recipient,
      String type,
      Priority priority,
      String title,
      String body,
      QuoteMilestone milestone,
      String collapseKey) {
    if (NotificationRequest.userRoom(recipient) == null) {
      // Subjects come from verified tokens; one that cannot name a user room has no inbox to fill.
      LOG.warning(
          "no "
              + type
              + " notification for quote "
              + milestone.quoteId()
              + ": subject "
              + LogSafe.quote(recipient)
              + " names no user room");
      return;
    }
    JsonObjectBuilder data = JSON.createObjectBuilder().add("quoteId", milestone.quoteId());
    if (milestone.validUntil() != null) {
      data.add("validUntil", milestone.validUntil().toString());
    }
    JsonObject built = data.build();
    notifications.sendPlatform(
        new NotificationRequest(recipient, type, priority, title, body, built, collapseKey));
  }
}

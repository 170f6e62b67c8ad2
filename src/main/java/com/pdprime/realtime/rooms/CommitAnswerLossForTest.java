package com.pdprime.realtime.rooms;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Test only: a commit that stored an event of the room named by {@code
 * realtime.publish.lose-commit-answer-for-test} is thrown after it was carried out, as Payara
 * throws a commit whose answer was lost (docs/operations.md §5.3). Unset, it does nothing and costs
 * a field read.
 */
@ApplicationScoped
public class CommitAnswerLossForTest {
  private static final Logger LOG = Logger.getLogger(CommitAnswerLossForTest.class.getName());

  @Inject
  @ConfigProperty(name = "realtime.publish.lose-commit-answer-for-test")
  Optional<String> room;

  @PostConstruct
  void warn() {
    room.ifPresent(
        name ->
            LOG.severe(
                "realtime.publish.lose-commit-answer-for-test="
                    + name
                    + ": TEST ONLY, every commit of a publish to that room is taken as failed once"
                    + " carried out; never set it in production"));
  }

  /** Throws if one of these events, just committed, is in the test's room. */
  void afterCommitOf(List<StoredEvent> committed) {
    if (room.isEmpty()) {
      return;
    }
    for (StoredEvent event : committed) {
      if (event.room().toString().equals(room.get())) {
        throw new EJBException(
            "Unable to complete container-managed transaction (taken as lost by"
                + " realtime.publish.lose-commit-answer-for-test)");
      }
    }
  }
}

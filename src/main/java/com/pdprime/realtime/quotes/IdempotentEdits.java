package com.pdprime.realtime.quotes;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.api.IdempotencyKeys;
import com.pdprime.realtime.security.Caller;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Optional;

/**
 * REST field changes with an {@code Idempotency-Key}: the key is claimed in the edit's transaction
 * (see {@link IdempotencyKeys}), so a retry of an applied change answers as the first one did and
 * changes nothing. Only an applied change keeps its key: a conflict or a refusal changed nothing,
 * so its key is rolled back with it and a retry is judged afresh.
 */
@Stateless
public class IdempotentEdits {
  @Inject IdempotencyKeys keys;
  @Inject QuoteService quotes;
  @Resource SessionContext context;

  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public Change change(
      String key, String quoteId, String path, JsonValue value, long version, Caller caller)
      throws QuoteProblem, IdempotencyKeyConflict {
    Optional<JsonObject> earlier =
        keys.claim(caller.subject(), key, fingerprint(quoteId, path, value, version));
    if (earlier.isPresent()) {
      return replayed(earlier.get());
    }
    EditOutcome outcome;
    try {
      outcome = quotes.change(quoteId, path, value, version, caller, QuoteResource.SOURCE);
    } catch (QuoteProblem refused) {
      context.setRollbackOnly();
      throw refused;
    }
    if (!outcome.applied()) {
      context.setRollbackOnly();
      return new Change(outcome, false);
    }
    keys.record(caller.subject(), key, outcome.state());
    return new Change(outcome, false);
  }

  /** The committed change of this key, if any, read in a transaction of its own. */
  public Optional<Change> find(
      String key, String quoteId, String path, JsonValue value, long version, Caller caller)
      throws IdempotencyKeyConflict {
    return keys.find(caller.subject(), key, fingerprint(quoteId, path, value, version))
        .map(IdempotentEdits::replayed);
  }

  /** An edit's outcome; {@code replayed} when an earlier request with the key had applied it. */
  public record Change(EditOutcome outcome, boolean replayed) {}

  private static Change replayed(JsonObject state) {
    return new Change(
        new EditOutcome(
            true,
            state.getString("field"),
            state.get("value"),
            state.getJsonNumber("version").longValueExact()),
        true);
  }

  private static String fingerprint(String quoteId, String path, JsonValue value, long version) {
    return IdempotencyKeys.fingerprint(
        "edit", quoteId, path, value.toString(), Long.toString(version));
  }
}

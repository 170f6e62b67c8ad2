package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.PublishService;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Quotes: creation, field edits (REST and socket share this one path and one audit trail), state
 * snapshots, premiums and binding. Every committed change is published into the quote's room in the
 * same transaction, so the room's order is the order the changes happened.
 */
@Stateless
public class QuoteService {
  @PersistenceContext EntityManager em;
  @Inject PublishService publisher;
  @Inject Event<QuoteMilestone> milestones;

  // How long a calculated premium holds before the quote expires (QuoteExpiry).
  @Inject
  @ConfigProperty(name = "realtime.quotes.validity-seconds")
  long validitySeconds;

  /** A new draft for the customer, created by {@code agent}; announced in the quote's room. */
  public Quote create(String customerSubject, String customerName, Caller agent) {
    Customer customer =
        em.createQuery("SELECT c FROM Customer c WHERE c.subject = :subject", Customer.class)
            .setParameter("subject", customerSubject)
            .getResultStream()
            .findFirst()
            .orElseGet(
                () -> {
                  Customer created =
                      new Customer(
                          UUID.randomUUID().toString(),
                          customerSubject,
                          customerName,
                          Instant.now());
                  em.persist(created);
                  return created;
                });
    Quote quote =
        new Quote(
            UUID.randomUUID().toString(),
            customer,
            QuoteStatus.DRAFT.name(),
            Instant.now(),
            agent.subject());
    em.persist(quote);
    for (String path : FieldCatalog.allPaths()) {
      em.persist(new QuoteField(quote.id(), path));
    }
    publisher.publish(
        room(quote.id()),
        "quote.created",
        JSON.createObjectBuilder()
            .add("status", quote.status())
            .add("customerSubject", customerSubject)
            .add("by", by(agent))
            .build(),
        agent.subject());
    return quote;
  }

  /** The subject of the quote's customer; empty when no quote has the id. */
  public Optional<String> customerSubject(String id) {
    return em.createQuery(
            "SELECT c.subject FROM Quote q JOIN q.customer c WHERE q.id = :id", String.class)
        .setParameter("id", id)
        .getResultStream()
        .findFirst();
  }

  /** The quote as the caller may see it; premium amounts only with {@code premium:view}. */
  public JsonObject snapshot(String quoteId, Caller caller) throws QuoteProblem {
    Quote quote = readable(quoteId, caller);
    JsonObjectBuilder fields = JSON.createObjectBuilder();
    for (QuoteField field : fieldRows(quoteId)) {
      if (field.version() > 0) {
        fields.add(
            field.path(),
            JSON.createObjectBuilder()
                .add("value", parse(field.value()))
                .add("version", field.version()));
      }
    }
    JsonObjectBuilder snapshot =
        JSON.createObjectBuilder()
            .add("id", quote.id())
            .add("customerSubject", quote.customer().subject())
            .add("customerName", quote.customer().displayName())
            .add("status", quote.status())
            .add("fields", fields);
    if (quote.premiumTotal() != null && QuoteAccess.seesPremium(caller)) {
      snapshot.add("premium", premium(quote));
    }
    return snapshot.build();
  }

  /**
   * Sets one field if its version is still {@code expectedVersion} (the version the editor saw):
   * the row is locked, compared and written in one transaction. Otherwise nothing changes and the
   * outcome carries the current value and version.
   */
  public EditOutcome change(
      String quoteId,
      String path,
      JsonValue value,
      long expectedVersion,
      Caller caller,
      String source)
      throws QuoteProblem {
    Quote quote = writable(quoteId, caller);
    if (!FieldCatalog.exists(path)) {
      throw new QuoteProblem(
          QuoteProblem.Kind.UNKNOWN_FIELD, "'" + path + "' is not a quote field");
    }
    try {
      FieldCatalog.validate(path, value);
    } catch (FieldCatalog.InvalidValue invalid) {
      throw new QuoteProblem(QuoteProblem.Kind.INVALID_VALUE, invalid.getMessage());
    }
    QuoteField field =
        em.find(
            QuoteField.class, new QuoteField.Key(quoteId, path), LockModeType.PESSIMISTIC_WRITE);
    if (field.version() != expectedVersion) {
      return new EditOutcome(false, path, parse(field.value()), field.version());
    }
    String old = field.value();
    Instant now = Instant.now();
    field.set(
        value.getValueType() == JsonValue.ValueType.NULL ? null : value.toString(),
        caller.subject(),
        now);
    audit(quoteId, path, old, field.value(), field.version(), caller.subject(), source, now);
    if (FieldCatalog.STATE.equals(path)) {
      quote.locatedIn(
          value.getValueType() == JsonValue.ValueType.STRING
              ? ((JsonString) value).getString()
              : null);
    }
    RoomName room = room(quoteId);
    publisher.publish(
        room,
        "quote.field.changed",
        JSON.createObjectBuilder()
            .add("field", path)
            .add("value", value)
            .add("version", field.version())
            .add("by", by(caller))
            .add("source", source)
            .build(),
        caller.subject());
    if (quote.invalidatePremium()) {
      publishStatus(
          room, quote, "field " + path + " changed; the premium must be recalculated", caller);
    }
    return new EditOutcome(true, path, value, field.version());
  }

  /** The sum of the quote's field versions: it grows with every change, so it dates a reading. */
  public long fieldVersions(String quoteId) {
    Number sum =
        (Number)
            em.createQuery("SELECT SUM(f.version) FROM QuoteField f WHERE f.quoteId = :quote")
                .setParameter("quote", quoteId)
                .getSingleResult();
    return sum == null ? 0 : sum.longValue();
  }

  /** Checks that the caller may start a calculation, and returns the fields to rate. */
  public Map<String, JsonValue> fieldsToRate(String quoteId, Caller caller) throws QuoteProblem {
    writable(quoteId, caller);
    Map<String, JsonValue> values = new LinkedHashMap<>();
    for (QuoteField field : fieldRows(quoteId)) {
      values.put(field.path(), parse(field.value()));
    }
    return values;
  }

  /**
   * Records the premium, if the quote is still the one that was rated: not bound meanwhile, and no
   * field changed since {@code ratedVersions} was read. Otherwise the calculation fails with the
   * reason, and nothing about the quote changes.
   */
  public void recordPremium(
      String quoteId,
      String calculationId,
      long ratedVersions,
      RatingEngine.Premium premium,
      Instant startedAt,
      Caller caller) {
    Quote quote = em.find(Quote.class, quoteId, LockModeType.PESSIMISTIC_WRITE);
    if (!quote.editable()) {
      recordFailure(
          quoteId,
          calculationId,
          "the quote was " + quote.status() + " meanwhile",
          java.util.List.of(),
          caller);
      return;
    }
    if (fieldVersions(quoteId) != ratedVersions) {
      recordFailure(
          quoteId,
          calculationId,
          "fields changed during the calculation; calculate again",
          java.util.List.of(),
          caller);
      return;
    }
    Instant now = Instant.now();
    quote.quoted(
        premium.total(),
        premium.breakdown().toString(),
        now,
        Duration.between(startedAt, now).toMillis());
    quote.validUntil(now.plusSeconds(validitySeconds));
    publisher.publish(
        room(quoteId),
        "quote.premium.calculated",
        JSON.createObjectBuilder()
            .add("calculationId", calculationId)
            .add("status", quote.status())
            .add("by", by(caller))
            .build(),
        // Amounts travel only to holders of premium:view; everyone else learns that it is quoted.
        JSON.createObjectBuilder()
            .add("premium:view", JSON.createObjectBuilder().add("premium", premium(quote)))
            .build(),
        caller.subject());
    milestones.fire(QuoteMilestone.of(QuoteMilestone.Kind.CALCULATED, quote));
  }

  public void recordFailure(
      String quoteId,
      String calculationId,
      String reason,
      Iterable<String> missing,
      Caller caller) {
    var missingFields = JSON.createArrayBuilder();
    missing.forEach(missingFields::add);
    publisher.publish(
        room(quoteId),
        "quote.calculation.failed",
        JSON.createObjectBuilder()
            .add("calculationId", calculationId)
            .add("reason", reason)
            .add("missingFields", missingFields)
            .add("by", by(caller))
            .build(),
        caller.subject());
  }

  public void bind(String quoteId, Caller caller) throws QuoteProblem {
    Quote quote = writable(quoteId, caller);
    if (!QuoteStatus.QUOTED.name().equals(quote.status())) {
      throw new QuoteProblem(
          QuoteProblem.Kind.NOT_QUOTED,
          "only a QUOTED quote can be bound; it is " + quote.status());
    }
    quote.bound(Instant.now());
    publishStatus(room(quoteId), quote, "bound", caller);
    milestones.fire(QuoteMilestone.of(QuoteMilestone.Kind.BOUND, quote));
  }

  Quote readable(String quoteId, Caller caller) throws QuoteProblem {
    // The customer in the same statement: every caller needs it, and find() read it with a second
    // round trip, under the room's lock when a quote room is subscribed (bench/RESULTS.md).
    Quote quote =
        em.createQuery("SELECT q FROM Quote q JOIN FETCH q.customer WHERE q.id = :id", Quote.class)
            .setParameter("id", quoteId)
            .getResultStream()
            .findFirst()
            .orElse(null);
    if (quote == null && caller.has(Permissions.QUOTE_READ)) {
      throw new QuoteProblem(QuoteProblem.Kind.NOT_FOUND, "quote " + quoteId + " does not exist");
    }
    if (quote == null || !QuoteAccess.canRead(caller, quote)) {
      // The same answer whether or not it exists: without quote:read, ids cannot be probed.
      throw new QuoteProblem(
          QuoteProblem.Kind.FORBIDDEN,
          "quote " + quoteId + " is open to its customer and to holders of quote:read");
    }
    return quote;
  }

  private Quote writable(String quoteId, Caller caller) throws QuoteProblem {
    Quote quote = readable(quoteId, caller);
    // Edits, binds and premiums of one quote take turns, so none of them undoes another.
    em.lock(quote, LockModeType.PESSIMISTIC_WRITE);
    if (!QuoteAccess.canWrite(caller, quote)) {
      throw new QuoteProblem(
          QuoteProblem.Kind.FORBIDDEN, "changing quote " + quoteId + " needs quote:write");
    }
    if (!quote.editable()) {
      throw new QuoteProblem(
          QuoteProblem.Kind.NOT_EDITABLE, "quote " + quoteId + " is " + quote.status());
    }
    return quote;
  }

  private void publishStatus(RoomName room, Quote quote, String reason, Caller caller) {
    publisher.publish(
        room,
        "quote.status.changed",
        JSON.createObjectBuilder()
            .add("status", quote.status())
            .add("reason", reason)
            .add("by", by(caller))
            .build(),
        caller.subject());
  }

  /**
   * One line of the audit trail: who changed which field from what to what, when, from where.
   * Written with SQL because the table's identity column is generated by the database
   * (EclipseLink's identity read-back uses a function H2 2 no longer has).
   */
  private void audit(
      String quoteId,
      String path,
      String oldValue,
      String newValue,
      long version,
      String by,
      String source,
      Instant at) {
    em.createNativeQuery(
            "INSERT INTO quote_changes (quote_id, path, old_value, new_value, new_version,"
                + " changed_by, source, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .setParameter(1, quoteId)
        .setParameter(2, path)
        .setParameter(3, oldValue)
        .setParameter(4, newValue)
        .setParameter(5, version)
        .setParameter(6, by)
        .setParameter(7, source)
        .setParameter(8, java.sql.Timestamp.from(at))
        .executeUpdate();
  }

  private java.util.List<QuoteField> fieldRows(String quoteId) {
    return em.createQuery(
            "SELECT f FROM QuoteField f WHERE f.quoteId = :quote ORDER BY f.path", QuoteField.class)
        .setParameter("quote", quoteId)
        .getResultList();
  }

  private static JsonObject premium(Quote quote) {
    return JSON.createObjectBuilder()
        .add("total", quote.premiumTotal())
        .add("breakdown", parse(quote.premiumBreakdown()))
        .add("calculatedAt", quote.premiumCalculatedAt().toString())
        .build();
  }

  private static JsonObject by(Caller caller) {
    return JSON.createObjectBuilder()
        .add("subject", caller.subject())
        .add("name", caller.displayName())
        .build();
  }

  static RoomName room(String quoteId) {
    try {
      return RoomName.parse("quote:" + quoteId);
    } catch (RoomName.InvalidRoomName e) {
      throw new IllegalStateException("quote id " + quoteId + " is not a UUID", e);
    }
  }

  private static JsonValue parse(String json) {
    if (json == null) {
      return JsonValue.NULL;
    }
    try (var reader = JSON.createReader(new StringReader(json))) {
      return reader.readValue();
    }
  }
}

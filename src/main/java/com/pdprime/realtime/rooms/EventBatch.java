package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The body of {@code POST /api/v1/events}, {@code {"events": [{room, name, data}, …]}}, read into
 * its events in request order, each checked as a single publish is: an event that fails is refused
 * in its place and the others go on. A body that is not a batch at all refuses the whole request.
 */
final class EventBatch {
  /**
   * The most events one request carries. A batch holds its rooms' sequence rows until it commits,
   * so its size bounds how long other publishers of those rooms wait; 500 events of a few hundred
   * bytes each already fill most of the 256 KiB body cap.
   */
  static final int MAX_EVENTS = 500;

  private EventBatch() {}

  /** One event of a batch: {@code request} when it passed every check, else {@code refusal}. */
  record Entry(PublishRequest request, PublishRefused refusal) {
    boolean accepted() {
      return request != null;
    }
  }

  static List<Entry> read(JsonObject body, Predicate<RoomName> serverOnly) throws PublishRefused {
    if (body == null) {
      throw new PublishRefused(
          400, "INVALID_FRAME", "the body must be a JSON object", "Send {\"events\": [...]}.");
    }
    for (String field : body.keySet()) {
      if (!field.equals("events")) {
        throw PublishRefused.invalidField(
            field, "is not part of a batch", "Send {\"events\": [...]} and nothing else.");
      }
    }
    JsonValue events = body.get("events");
    if (events == null) {
      throw PublishRefused.missingField("events", "Send the events as an array under 'events'.");
    }
    if (events.getValueType() != JsonValue.ValueType.ARRAY) {
      throw PublishRefused.invalidField(
          "events", "must be an array", "Send the events as an array under 'events'.");
    }
    JsonArray array = events.asJsonArray();
    if (array.isEmpty()) {
      throw PublishRefused.invalidField(
          "events", "must hold at least one event", "Send at least one event.");
    }
    if (array.size() > MAX_EVENTS) {
      throw new PublishRefused(
          413,
          "BATCH_TOO_LARGE",
          "the batch holds " + array.size() + " events, more than " + MAX_EVENTS,
          "Split the events into batches of at most " + MAX_EVENTS + ".");
    }
    List<Entry> entries = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        entries.add(new Entry(event(i, array.get(i), serverOnly), null));
      } catch (PublishRefused refused) {
        entries.add(new Entry(null, refused));
      }
    }
    return entries;
  }

  private static PublishRequest event(int index, JsonValue value, Predicate<RoomName> serverOnly)
      throws PublishRefused {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw PublishRefused.invalidField(
          "events[" + index + "]",
          "must be a JSON object",
          "Send each event as {\"room\", \"name\", \"data\"}.");
    }
    JsonObject event = value.asJsonObject();
    for (String field : event.keySet()) {
      if (field.equals("idempotencyKey")) {
        throw idempotencyKeyUnsupported();
      }
      if (!field.equals("room") && !field.equals("name") && !field.equals("data")) {
        throw PublishRefused.invalidField(
            field, "is not part of an event", "Send each event as {\"room\", \"name\", \"data\"}.");
      }
    }
    JsonValue room = event.get("room");
    if (room == null) {
      throw PublishRefused.missingField("room", "Name the event's room, e.g. user:alice.");
    }
    if (!(room instanceof JsonString text)) {
      throw PublishRefused.invalidField(
          "room", "must be a string", "Name the event's room, e.g. user:alice.");
    }
    RoomName checked = PublishChecks.room(text.getString(), serverOnly);
    return new PublishRequest(checked, PublishChecks.name(event), PublishChecks.data(event));
  }

  /** The events that passed every check, in request order. */
  static List<PublishRequest> accepted(List<Entry> entries) {
    return entries.stream().filter(Entry::accepted).map(Entry::request).toList();
  }

  /** A stored event's place as a batch answers it: {@code {room, epoch, seq}}. */
  static JsonObject place(StoredEvent event) {
    return JSON.createObjectBuilder()
        .add("room", event.room().toString())
        .add("epoch", event.epoch())
        .add("seq", event.seq())
        .build();
  }

  /**
   * The answer to a batch: each event's outcome in request order, and the counts. {@code outcomes}
   * holds one outcome per accepted event, in order: its place, or the error that kept it from being
   * stored.
   */
  static JsonObject answer(List<Entry> entries, List<JsonObject> outcomes) {
    Iterator<JsonObject> stored = outcomes.iterator();
    JsonArrayBuilder results = JSON.createArrayBuilder();
    int storedCount = 0;
    for (Entry entry : entries) {
      JsonObject result = entry.accepted() ? stored.next() : refusal(entry.refusal());
      results.add(result);
      if (result.containsKey("seq")) {
        storedCount++;
      }
    }
    return JSON.createObjectBuilder()
        .add("stored", storedCount)
        .add("refused", entries.size() - storedCount)
        .add("results", results)
        .build();
  }

  /** A refusal as an answer: {@code {"error": {status, code, message, action}}}. */
  static JsonObject refusal(PublishRefused refused) {
    return JSON.createObjectBuilder().add("error", refused.json()).build();
  }

  /**
   * A batch takes no idempotency keys, neither for itself nor per event: a service that must not
   * publish twice on a retry publishes that event alone with an {@code Idempotency-Key}.
   */
  /** A key is the whole batch's: its events are stored together or not at all. */
  private static PublishRefused idempotencyKeyUnsupported() {
    return new PublishRefused(
        400,
        "IDEMPOTENCY_KEY_UNSUPPORTED",
        "an event of a batch takes no idempotency key of its own",
        "Give the batch one key: the Idempotency-Key header (REST) or the IdempotencyKey property"
            + " (the publish queue).");
  }

  static PublishRefused busy(int maxInProgress) {
    return new PublishRefused(
        503,
        "SERVER_BUSY",
        maxInProgress
            + " batches are already being stored on this instance; none of this batch's events"
            + " was stored",
        "Publish the batch again after the Retry-After delay.",
        1);
  }
}

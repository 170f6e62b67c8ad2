package com.pdprime.realtime.notifications;

import static com.pdprime.realtime.protocol.JsonSupport.INBOUND_READERS;
import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.StringReader;
import java.time.Instant;

/** One notification to one recipient, from creation to read (or muted). */
@Entity
@Table(name = "notifications")
public class Notification {
  /**
   * Who sent it: a backend through {@code POST /api/v1/notifications}, whose notifications count
   * against the recipient's rate, or the platform itself (quote milestones), whose do not.
   */
  public enum Origin {
    BACKEND,
    PLATFORM
  }

  @Id
  @Column(name = "id", length = 36)
  private String id;

  @Column(name = "recipient", nullable = false, length = 200)
  private String recipient;

  @Column(name = "type", nullable = false, length = 100)
  private String type;

  @Column(name = "priority", nullable = false, length = 8)
  private String priority;

  @Column(name = "title", nullable = false, length = 200)
  private String title;

  @Column(name = "body", nullable = false, length = 2000)
  private String body;

  @Column(name = "data", nullable = false, length = 16384)
  private String data;

  @Column(name = "collapse_key", length = 100)
  private String collapseKey;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "deliver_after")
  private Instant deliverAfter;

  @Column(name = "delivered_at")
  private Instant deliveredAt;

  @Column(name = "read_at")
  private Instant readAt;

  @Column(name = "state", nullable = false, length = 16)
  private String state;

  @Enumerated(EnumType.STRING)
  @Column(name = "origin", nullable = false, length = 8)
  private Origin origin;

  protected Notification() {}

  public Notification(
      String id,
      NotificationRequest request,
      Origin origin,
      Instant createdAt,
      DeliveryPlan plan,
      Instant deliveredAt) {
    this.id = id;
    this.origin = origin;
    this.recipient = request.recipient();
    this.type = request.type();
    this.priority = request.priority().wire();
    this.title = request.title();
    this.body = request.body();
    this.data = request.data().toString();
    this.collapseKey = request.collapseKey();
    this.createdAt = createdAt;
    this.deliverAfter = plan.deliverAfter();
    this.deliveredAt = deliveredAt;
    this.state = plan.state().wire();
  }

  public String id() {
    return id;
  }

  public String recipient() {
    return recipient;
  }

  public String type() {
    return type;
  }

  public Priority priority() {
    return Priority.ofWire(priority).orElseThrow();
  }

  public String collapseKey() {
    return collapseKey;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant deliverAfter() {
    return deliverAfter;
  }

  public Instant readAt() {
    return readAt;
  }

  /** Read now; a held one read in the inbox before it arrived is never delivered. */
  void read(Instant at) {
    state = NotificationState.READ.wire();
    readAt = at;
  }

  void delivered(Instant at) {
    state = NotificationState.DELIVERED.wire();
    deliveredAt = at;
  }

  public NotificationState state() {
    return NotificationState.ofWire(state);
  }

  /** The inbox's and the {@code notification} event's shape (docs/protocol.md §11.17). */
  public JsonObject toJson() {
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("id", id)
            .add("type", type)
            .add("priority", priority)
            .add("title", title)
            .add("body", body)
            .add("data", parsedData())
            .add("createdAt", createdAt.toString());
    instant(json, "deliverAfter", deliverAfter);
    instant(json, "deliveredAt", deliveredAt);
    instant(json, "readAt", readAt);
    return json.add("state", state).build();
  }

  private JsonObject parsedData() {
    try (JsonReader reader = INBOUND_READERS.createReader(new StringReader(data))) {
      return reader.readObject();
    }
  }

  private static void instant(JsonObjectBuilder json, String name, Instant value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value.toString());
    }
  }
}

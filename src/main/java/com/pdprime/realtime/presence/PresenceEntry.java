package com.pdprime.realtime.presence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One connection present in one room, on some instance. */
@Entity
@Table(name = "room_presence")
@IdClass(PresenceEntry.Key.class)
public class PresenceEntry {
  @Id
  @Column(name = "connection_id", length = 36)
  private String connectionId;

  @Id
  @Column(name = "room", length = 200)
  private String room;

  @Column(name = "instance_id", nullable = false, length = 100)
  private String instanceId;

  @Column(name = "subject", nullable = false, length = 200)
  private String subject;

  @Column(name = "display_name", nullable = false, length = 200)
  private String displayName;

  @Column(name = "joined_at", nullable = false)
  private Instant joinedAt;

  protected PresenceEntry() {}

  PresenceEntry(
      String connectionId,
      String room,
      String instanceId,
      String subject,
      String displayName,
      Instant joinedAt) {
    this.connectionId = connectionId;
    this.room = room;
    this.instanceId = instanceId;
    this.subject = subject;
    this.displayName = displayName;
    this.joinedAt = joinedAt;
  }

  String connectionId() {
    return connectionId;
  }

  String room() {
    return room;
  }

  String instanceId() {
    return instanceId;
  }

  String subject() {
    return subject;
  }

  String displayName() {
    return displayName;
  }

  Instant joinedAt() {
    return joinedAt;
  }

  RoomMember member() {
    return new RoomMember(room, subject);
  }

  /** The composite identity (connection, room). */
  public static class Key implements Serializable {
    private String connectionId;
    private String room;

    public Key() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(key.connectionId, connectionId)
          && Objects.equals(key.room, room);
    }

    @Override
    public int hashCode() {
      return Objects.hash(connectionId, room);
    }
  }
}

package com.pdprime.realtime.rooms;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of a room's durable history as it is read; (room, seq) is its identity. Rows are written
 * by {@link RoomEventStore} with JDBC.
 */
@Entity
@Table(name = "room_events")
@IdClass(RoomEvent.Key.class)
public class RoomEvent {
  @Id
  @Column(name = "room", length = 200)
  private String room;

  @Id
  @Column(name = "seq")
  private long seq;

  @Column(name = "epoch", nullable = false, length = 32)
  private String epoch;

  @Column(name = "name", nullable = false, length = 100)
  private String name;

  @Column(name = "data", nullable = false, length = 1000000)
  private String data;

  @Column(name = "guarded", length = 1000000)
  private String guarded;

  @Column(name = "published_at", nullable = false)
  private Instant publishedAt;

  @Column(name = "published_by", nullable = false, length = 200)
  private String publishedBy;

  protected RoomEvent() {}

  long seq() {
    return seq;
  }

  String epoch() {
    return epoch;
  }

  String name() {
    return name;
  }

  String data() {
    return data;
  }

  String guarded() {
    return guarded;
  }

  Instant publishedAt() {
    return publishedAt;
  }

  /** The composite identity (room, seq). */
  public static class Key implements Serializable {
    private String room;
    private long seq;

    public Key() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.seq == seq && Objects.equals(key.room, room);
    }

    @Override
    public int hashCode() {
      return Objects.hash(room, seq);
    }
  }
}

package com.pdprime.realtime.rooms;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A room's sequence counter: the epoch of its history and the last seq handed out. Written only by
 * {@link RoomEventStore}'s native increment, which is what serialises publishers across instances.
 */
@Entity
@Table(name = "room_sequences")
public class RoomSequence {
  @Id
  @Column(name = "room", length = 200)
  private String room;

  @Column(name = "epoch", nullable = false, length = 32)
  private String epoch;

  @Column(name = "last_seq", nullable = false)
  private long lastSeq;

  protected RoomSequence() {}
}

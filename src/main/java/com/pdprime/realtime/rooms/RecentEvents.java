package com.pdprime.realtime.rooms;

import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last durable events of each room, in memory, so a resume can be answered without reading the
 * database. Each room holds one tail: events of one epoch with consecutive seqs, nothing missing in
 * between. An event that does not continue the tail (a seq skipped, another epoch) ends it, and
 * from the delivery path starts a new one, instead of being added after a hole: the tail never
 * claims a range it does not hold, and a read answers a whole range or nothing.
 *
 * <p>Bounded three ways: events per room, estimated bytes over all rooms, and time since arrival.
 * Eviction takes the oldest arrivals first, across rooms; a room's tail only ever loses its oldest
 * events, so what stays is still contiguous.
 */
public final class RecentEvents {
  /** The bounds; {@code maxEventsPerRoom} 0 keeps nothing. */
  public record Limits(int maxEventsPerRoom, long maxBytes, long maxAgeMillis) {}

  /**
   * What one arrival costs beside its event: the entry, its queue node and its slot in the tail.
   */
  static final long ENTRY_BYTES = 80;

  /** The held event with its name and its text's string objects, beside the text's characters. */
  static final long EVENT_BYTES = 120;

  /**
   * A held event's data is its JSON text, not the parsed object: parsed JSON (Parsson) held 10 to
   * 13 bytes of heap per character, text holds one (two for text beyond Latin-1, counted here).
   * Held events live tens of seconds, so every young collection copied the parsed form again and
   * again (bench/RESULTS.md, round ag); a resume that reads them parses them once.
   */
  static final long TEXT_BYTES_PER_CHAR = 2;

  private final Limits limits;
  private final Clock clock;
  private final ConcurrentHashMap<RoomName, Tail> tails = new ConcurrentHashMap<>();

  /**
   * Every arrival in arrival order, so the oldest is evicted first whatever its room. An entry
   * stays here after its tail dropped it (count bound, new tail) until it reaches the front; only
   * its {@link #ENTRY_BYTES} are still counted then.
   */
  private final ConcurrentLinkedQueue<Entry> arrivals = new ConcurrentLinkedQueue<>();

  /** Only one thread evicts at a time, so the front it looked at is the front it removes. */
  private final ReentrantLock evicting = new ReentrantLock();

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong events = new AtomicLong();

  public RecentEvents(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Adds an event this instance delivered in seq order to the room's subscribers: it continues the
   * room's tail or starts a new one.
   */
  public void append(StoredEvent event) {
    add(event, true);
  }

  /**
   * Adds a relayed event for a room nobody here subscribes to now, only if it continues a tail
   * already held: such events come in relay order, not seq order, and are not worth memory unless a
   * subscriber was here recently and may come back.
   */
  public void extend(StoredEvent event) {
    add(event, false);
  }

  /**
   * The room's events after {@code afterSeq} up to and including {@code upTo}, in seq order, if the
   * tail of that epoch holds every one of them; empty otherwise, never a part of the range.
   */
  public Optional<List<StoredEvent>> read(RoomName room, String epoch, long afterSeq, long upTo) {
    if (upTo <= afterSeq) {
      return Optional.of(List.of());
    }
    Tail tail = tails.get(room);
    if (tail == null) {
      return Optional.empty();
    }
    List<HeldEvent> held;
    synchronized (tail) {
      if (!tail.holds(epoch, afterSeq + 1, upTo)) {
        return Optional.empty();
      }
      held = new ArrayList<>((int) (upTo - afterSeq));
      for (Entry entry : tail.entries) {
        if (entry.seq > upTo) {
          break;
        }
        if (entry.seq > afterSeq) {
          held.add(entry.event);
        }
      }
    }
    // Parsed outside the lock: appenders to this room need not wait for it.
    return Optional.of(held.stream().map(h -> h.stored(room, epoch)).toList());
  }

  /** Drops what is older than the age bound; called periodically, so idle rooms are freed too. */
  public void evictExpired() {
    evicting.lock();
    try {
      evict();
    } finally {
      evicting.unlock();
    }
  }

  /** Estimated bytes held, entries already dropped from their tail included. */
  public long bytes() {
    return bytes.get();
  }

  /** Events held in rooms' tails. */
  public long events() {
    return events.get();
  }

  /** Rooms with a tail. */
  public int rooms() {
    return tails.size();
  }

  private void add(StoredEvent event, boolean startTail) {
    if (limits.maxEventsPerRoom() == 0) {
      return;
    }
    while (true) {
      Tail tail =
          startTail ? tails.computeIfAbsent(event.room(), Tail::new) : tails.get(event.room());
      if (tail == null) {
        return;
      }
      synchronized (tail) {
        if (tail.removed) {
          continue;
        }
        offer(tail, event, startTail);
        if (tail.entries.isEmpty()) {
          remove(tail);
        }
      }
      break;
    }
    // Whoever holds the lock evicts for everyone and looks again after letting go, so appenders
    // never queue on it and nothing added meanwhile is missed.
    while ((bytes.get() > limits.maxBytes() || oldestExpired()) && evicting.tryLock()) {
      try {
        evict();
      } finally {
        evicting.unlock();
      }
    }
  }

  /**
   * Adds the event if it continues the tail; an event that does not continue it ends the tail, and
   * starts a new one if {@code startTail}. The caller holds the tail's lock.
   */
  private void offer(Tail tail, StoredEvent event, boolean startTail) {
    boolean sameEpoch = !tail.entries.isEmpty() && tail.epoch.equals(event.epoch());
    long last = sameEpoch ? tail.entries.peekLast().seq : 0;
    if (sameEpoch && event.seq() <= last) {
      // Already held (a subscriber channel and the relay can both bring it) or older than the
      // tail: nothing to add.
      return;
    }
    if (!sameEpoch || event.seq() != last + 1) {
      dropAll(tail);
      if (!startTail) {
        return;
      }
    }
    tail.epoch = event.epoch();
    HeldEvent held = HeldEvent.of(event);
    Entry entry = new Entry(tail, held, held.estimatedBytes(), clock.millis());
    tail.entries.addLast(entry);
    arrivals.add(entry);
    bytes.addAndGet(ENTRY_BYTES + entry.eventBytes);
    events.incrementAndGet();
    if (tail.entries.size() > limits.maxEventsPerRoom()) {
      drop(tail.entries.pollFirst());
    }
  }

  private boolean oldestExpired() {
    Entry oldest = arrivals.peek();
    return oldest != null && oldest.arrivedAtMillis < clock.millis() - limits.maxAgeMillis();
  }

  /** Removes arrivals from the front while over the byte bound or too old; holds evicting. */
  private void evict() {
    long expiredBefore = clock.millis() - limits.maxAgeMillis();
    Entry oldest;
    while ((oldest = arrivals.peek()) != null
        && (bytes.get() > limits.maxBytes() || oldest.arrivedAtMillis < expiredBefore)) {
      arrivals.poll();
      bytes.addAndGet(-ENTRY_BYTES);
      dropThrough(oldest);
    }
  }

  /**
   * Drops the entry from its tail, with whatever of the tail is older (an appender may have added
   * it after a younger arrival of another room, never before an older one of its own room).
   */
  private void dropThrough(Entry oldest) {
    Tail tail = oldest.tail;
    synchronized (tail) {
      if (oldest.event == null) {
        return;
      }
      while (!tail.entries.isEmpty() && tail.entries.peekFirst().seq <= oldest.seq) {
        drop(tail.entries.pollFirst());
      }
      if (tail.entries.isEmpty()) {
        remove(tail);
      }
    }
  }

  private void dropAll(Tail tail) {
    Entry entry;
    while ((entry = tail.entries.pollFirst()) != null) {
      drop(entry);
    }
  }

  /** Releases the event; its entry stays in {@link #arrivals} until it reaches the front. */
  private void drop(Entry entry) {
    entry.event = null;
    bytes.addAndGet(-entry.eventBytes);
    events.decrementAndGet();
  }

  private void remove(Tail tail) {
    tail.removed = true;
    tails.remove(tail.room, tail);
  }

  /** The event's estimated heap size once held. */
  static long estimateBytes(StoredEvent event) {
    return HeldEvent.of(event).estimatedBytes();
  }

  /**
   * A durable event as held in memory: its room and epoch are its tail's, its data and guarded
   * fields their JSON text ({@code guarded} null when there are none).
   */
  private record HeldEvent(
      long seq, String name, long publishedAtMillis, String data, String guarded) {
    static HeldEvent of(StoredEvent event) {
      return new HeldEvent(
          event.seq(),
          event.name(),
          event.publishedAtMillis(),
          event.data().toString(),
          event.hasGuarded() ? event.guarded().toString() : null);
    }

    long estimatedBytes() {
      long chars = data.length() + (guarded == null ? 0 : guarded.length());
      return EVENT_BYTES + TEXT_BYTES_PER_CHAR * chars;
    }

    StoredEvent stored(RoomName room, String epoch) {
      return new StoredEvent(
          room,
          epoch,
          seq,
          name,
          publishedAtMillis,
          RoomEventStore.parseObject(data),
          guarded == null ? JsonValue.EMPTY_JSON_OBJECT : RoomEventStore.parseObject(guarded));
    }
  }

  /** One room's contiguous run of events; guarded by its own monitor. */
  private static final class Tail {
    final RoomName room;
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
    String epoch;

    /** Set when the tail left the map; an appender that finds it so looks the room up again. */
    boolean removed;

    Tail(RoomName room) {
      this.room = room;
    }

    boolean holds(String wantedEpoch, long fromSeq, long toSeq) {
      return !entries.isEmpty()
          && epoch.equals(wantedEpoch)
          && entries.peekFirst().seq <= fromSeq
          && entries.peekLast().seq >= toSeq;
    }
  }

  /**
   * One arrival. {@code event} is null once dropped from its tail; read and written under the
   * tail's lock.
   */
  private static final class Entry {
    final Tail tail;
    final long seq;
    final long eventBytes;
    final long arrivedAtMillis;
    HeldEvent event;

    Entry(Tail tail, HeldEvent event, long eventBytes, long arrivedAtMillis) {
      this.tail = tail;
      this.seq = event.seq();
      this.event = event;
      this.eventBytes = eventBytes;
      this.arrivedAtMillis = arrivedAtMillis;
    }
  }
}

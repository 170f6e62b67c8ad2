package com.pdprime.realtime.memory;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Answers worth remembering because asking again is costly (an RS256 check, a database read),
 * bounded by count. It is for answers that are true for as long as they are kept, or whose user
 * checks them on every use: forgetting one costs the next caller the costly way, never a wrong
 * answer.
 *
 * <p>One over the bound, the entries {@code dropFirst} names go first (expired ones, say), then
 * arbitrary ones (the map's order, which follows the keys' hashes, not their use) until a tenth of
 * the room is free. Why not least recently used: the memories sit on the handshake's and every REST
 * call's path, and a use order needs a lock on every read; and a least-recently-used memory too
 * small for keys that return in a fixed cycle forgets each one just before it returns, while
 * arbitrary removal keeps answering in proportion to what fits. One thread at a time makes room, in
 * one pass for a tenth of the bound, so a burst of new keys over a full memory does not scan it
 * once per key; the others go on without waiting.
 */
public final class BoundedMemory<K, V> {
  private final int maxEntries;
  private final Predicate<? super V> dropFirst;
  private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
  private final ReentrantLock makingRoom = new ReentrantLock();

  /**
   * {@code what} names the memory in the refusal of a bound below one; {@code dropFirst} is asked
   * about every entry when room is made, at that moment.
   */
  public BoundedMemory(String what, int maxEntries, Predicate<? super V> dropFirst) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("a memory of " + what + " holds at least one");
    }
    this.maxEntries = maxEntries;
    this.dropFirst = dropFirst;
  }

  /** The remembered answer, or null. */
  public V get(K key) {
    return entries.get(key);
  }

  public void remember(K key, V value) {
    if (entries.put(key, value) == null && entries.size() > maxEntries) {
      makeRoom();
    }
  }

  /** Forgets the key's answer if it is still {@code value}. */
  public void forget(K key, V value) {
    entries.remove(key, value);
  }

  public int size() {
    return entries.size();
  }

  private void makeRoom() {
    if (!makingRoom.tryLock()) {
      return;
    }
    try {
      entries.values().removeIf(dropFirst);
      int target = maxEntries - Math.max(1, maxEntries / 10);
      Iterator<K> arbitrary = entries.keySet().iterator();
      while (entries.size() > target && arbitrary.hasNext()) {
        arbitrary.next();
        arbitrary.remove();
      }
    } finally {
      makingRoom.unlock();
    }
  }
}

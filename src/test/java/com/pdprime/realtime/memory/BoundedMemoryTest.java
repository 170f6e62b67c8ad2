package com.pdprime.realtime.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedMemoryTest {

  @Test
  void oneOverTheBoundATenthOfTheRoomIsFreed() {
    BoundedMemory<Integer, String> memory = new BoundedMemory<>("numbers", 100, value -> false);
    IntStream.rangeClosed(1, 100).forEach(i -> memory.remember(i, "n" + i));
    assertEquals(100, memory.size());

    memory.remember(101, "n101");

    assertEquals(90, memory.size());
  }

  @Test
  void entriesNamedToGoFirstGoBeforeAnyOther() {
    BoundedMemory<Integer, String> memory =
        new BoundedMemory<>("numbers", 10, value -> value.startsWith("stale"));
    IntStream.rangeClosed(1, 5).forEach(i -> memory.remember(i, "stale" + i));
    IntStream.rangeClosed(6, 10).forEach(i -> memory.remember(i, "fresh" + i));

    memory.remember(11, "fresh11");

    assertEquals(6, memory.size());
    IntStream.rangeClosed(1, 5).forEach(i -> assertNull(memory.get(i)));
    IntStream.rangeClosed(6, 11).forEach(i -> assertEquals("fresh" + i, memory.get(i)));
  }

  @Test
  void anAnswerIsForgottenOnlyWhileItIsTheOneGiven() {
    BoundedMemory<String, String> memory = new BoundedMemory<>("owners", 10, value -> false);
    memory.remember("q1", "alice");

    memory.forget("q1", "bob");
    assertEquals("alice", memory.get("q1"));

    memory.forget("q1", "alice");
    assertNull(memory.get("q1"));
  }

  @Test
  void aBoundBelowOneIsRefusedNamingTheMemory() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> new BoundedMemory<>("owners", 0, value -> false));
    assertEquals("a memory of owners holds at least one", refused.getMessage());
  }
}

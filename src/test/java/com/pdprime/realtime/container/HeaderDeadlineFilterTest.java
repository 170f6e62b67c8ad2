package com.pdprime.realtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeaderDeadlineFilterTest {
  /**
   * Installing the filter announces it in a system property; later test classes must not see it.
   */
  @AfterEach
  void forgetTheListener() {
    System.clearProperty(HeaderDeadlineFilter.INSTALLED_PROPERTY);
  }

  private static Buffer received(String bytes) {
    return Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, bytes);
  }

  @Test
  void headersEndAtTheFirstEmptyLine() {
    assertTrue(HeaderDeadlineFilter.headersEnded(received("GET /ws HTTP/1.1\r\nHost: a\r\n\r\n")));
    assertTrue(HeaderDeadlineFilter.headersEnded(received("GET /ws HTTP/1.1\nHost: a\n\n")));
    assertTrue(HeaderDeadlineFilter.headersEnded(received("GET / HTTP/1.1\r\n\r\n{\"body\":1}")));
  }

  @Test
  void headersHaveNotEndedBeforeTheEmptyLine() {
    assertFalse(HeaderDeadlineFilter.headersEnded(received("")));
    assertFalse(HeaderDeadlineFilter.headersEnded(received("GET /ws HTTP/1.1\r\n")));
    assertFalse(HeaderDeadlineFilter.headersEnded(received("GET /ws HTTP/1.1\r\nHost: a\r\n\r")));
    assertFalse(HeaderDeadlineFilter.headersEnded(received("GET /ws HTTP/1.1\r\nX: \r\r\n")));
  }

  @Test
  void onlyTheUnreadBytesCount() {
    Buffer buffer = received("\r\n\r\nGET /ws HTTP/1.1\r\n");
    buffer.position(4);
    assertFalse(HeaderDeadlineFilter.headersEnded(buffer));
  }

  @Test
  void theDeadlineIsTenSecondsUnlessSet() {
    assertEquals(10_000, HeaderDeadlineFilter.deadlineFrom(null));
    assertEquals(2_500, HeaderDeadlineFilter.deadlineFrom(" 2500 "));
  }

  @Test
  void aDeadlineThatIsNoPositiveNumberStopsTheListener() {
    assertThrows(IllegalArgumentException.class, () -> HeaderDeadlineFilter.deadlineFrom("10s"));
    assertThrows(IllegalArgumentException.class, () -> HeaderDeadlineFilter.deadlineFrom("0"));
    assertThrows(IllegalArgumentException.class, () -> HeaderDeadlineFilter.deadlineFrom("-1"));
  }
}

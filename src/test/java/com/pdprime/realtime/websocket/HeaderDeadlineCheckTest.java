package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.container.HeaderDeadlineFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeaderDeadlineCheckTest {
  private final HeaderDeadlineCheck check = new HeaderDeadlineCheck();

  /** Each test installs the listener it needs: none unless it says so. */
  @BeforeEach
  void noListenerYet() {
    System.clearProperty(HeaderDeadlineFilter.INSTALLED_PROPERTY);
  }

  @Test
  void aListenerWithoutTheDeadlineStopsTheStartAndSaysWhatToPass() {
    check.required = true;
    IllegalStateException refused = assertThrows(IllegalStateException.class, check::check);
    assertTrue(
        refused.getMessage().contains("pdprime-realtime-container.jar"), refused.getMessage());
    assertTrue(refused.getMessage().contains("preboot.asadmin"), refused.getMessage());
  }

  @Test
  void aListenerWithTheDeadlineStarts() {
    check.required = true;
    System.setProperty(HeaderDeadlineFilter.INSTALLED_PROPERTY, "10000");
    assertDoesNotThrow(check::check);
  }

  @Test
  void withoutTheRequirementAMissingDeadlineOnlyWarns() {
    check.required = false;
    assertDoesNotThrow(check::check);
  }
}

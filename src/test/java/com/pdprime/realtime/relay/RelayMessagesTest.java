package com.pdprime.realtime.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pdprime.realtime.relay.RelayMessages.Readable;
import org.junit.jupiter.api.Test;

/**
 * Which relay messages an instance reads: its own format and the one every release before the
 * format property sent; a later release's is skipped, not misread.
 */
class RelayMessagesTest {
  @Test
  void thisReleasesFormatAndOneWithoutThePropertyAreRead() {
    assertEquals(Readable.YES, RelayMessages.readable(RelayMessages.FORMAT));
    assertEquals(
        Readable.YES, RelayMessages.readable(null), "releases before the property sent format 1");
  }

  @Test
  void aLaterReleasesFormatIsSkippedAndNoneBelowTheFirstExists() {
    assertEquals(Readable.NEWER, RelayMessages.readable(RelayMessages.FORMAT + 1));
    assertEquals(Readable.INVALID, RelayMessages.readable(0));
    assertEquals(Readable.INVALID, RelayMessages.readable(-3));
  }
}

package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.ProtocolException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommandPlacesTest {
  private static final long WAIT_MILLIS = 20;

  private final AtomicLong now = new AtomicLong(123_456_789L); // nanoTime's origin is arbitrary
  private final CommandPlaces places = new CommandPlaces(2, WAIT_MILLIS, "snapshots", now::get);

  @Test
  void aCommandThatFindsEveryPlaceJustTakenWaitsThenIsAnsweredServerBusy() throws Exception {
    places.enter("a");
    places.enter("b");
    ProtocolException busy = assertThrows(ProtocolException.class, () -> places.enter("c"));
    assertEquals(ErrorCode.SERVER_BUSY, busy.code());
    assertEquals("c", busy.replyTo());
    assertEquals(
        "2 snapshots are in progress on this server, waiting for its database", busy.getMessage());
  }

  @Test
  void onceNoPlaceHasMovedForLongerThanTheWaitTheNextIsRefusedAtOnce() throws Exception {
    places.enter("a");
    places.enter("b");
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS + 1));
    ProtocolException busy = assertThrows(ProtocolException.class, () -> places.enter("c"));
    assertEquals(
        "2 snapshots are in progress on this server and none has finished for over 20 ms: its"
            + " database is not answering",
        busy.getMessage());
  }

  @Test
  void aPlaceGivenBackIsTakenByTheNextCommandAndCountsAsMoving() throws Exception {
    places.enter("a");
    places.enter("b");
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS + 1));
    places.leave();
    assertDoesNotThrow(() -> places.enter("c"));
    ProtocolException busy = assertThrows(ProtocolException.class, () -> places.enter("d"));
    assertEquals(
        "2 snapshots are in progress on this server, waiting for its database",
        busy.getMessage(),
        "a place moved just now: worth waiting for the next");
  }
}

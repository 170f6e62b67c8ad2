package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class CommandPlacesTest {
  @Test
  void aCommandThatFindsEveryPlaceTakenIsAnsweredServerBusyNamingTheBound() throws Exception {
    CommandPlaces places = new CommandPlaces(2, 10, "snapshots");
    places.enter("a");
    places.enter("b");
    ProtocolException busy = assertThrows(ProtocolException.class, () -> places.enter("c"));
    assertEquals(ErrorCode.SERVER_BUSY, busy.code());
    assertEquals("c", busy.replyTo());
    assertEquals(
        "2 snapshots are in progress on this server, waiting for its database", busy.getMessage());
  }

  @Test
  void aPlaceGivenBackIsTakenByTheNextCommand() throws Exception {
    CommandPlaces places = new CommandPlaces(1, 10, "snapshots");
    places.enter("a");
    places.leave();
    assertDoesNotThrow(() -> places.enter("b"));
  }
}

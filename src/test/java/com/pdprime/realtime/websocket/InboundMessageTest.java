package com.pdprime.realtime.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundMessageTest {
  @Test
  void aMessageInOnePartIsHandedOverAsItIs() throws Exception {
    InboundMessage message = new InboundMessage(10);
    assertEquals(Optional.of("{\"a\":1}"), message.add("{\"a\":1}", true));
  }

  @Test
  void partsAreJoinedAtTheLastOne() throws Exception {
    InboundMessage message = new InboundMessage(100);
    assertTrue(message.add("{\"id\":", false).isEmpty());
    assertTrue(message.add("\"p1\",", false).isEmpty());
    assertEquals(
        Optional.of("{\"id\":\"p1\",\"type\":\"ping\"}"), message.add("\"type\":\"ping\"}", true));
    assertEquals(Optional.of("next"), message.add("next", true), "the next message starts empty");
  }

  @Test
  void exactlyTheBoundIsAdmittedAndOneByteMoreIsRefused() throws Exception {
    InboundMessage message = new InboundMessage(8);
    assertEquals(Optional.of("12345678"), message.add("12345678", true));
    message.add("1234", false);
    InboundMessage.TooBig tooBig =
        assertThrows(InboundMessage.TooBig.class, () -> message.add("56789", true));
    assertEquals("text message over 8 bytes; commands are small JSON objects", tooBig.getMessage());
  }

  @Test
  void theRestOfARefusedMessageIsDroppedAndTheNextOneCountsFromZero() throws Exception {
    InboundMessage message = new InboundMessage(4);
    assertThrows(InboundMessage.TooBig.class, () -> message.add("12345", false));
    assertTrue(message.add("more of the refused message", false).isEmpty());
    assertTrue(message.add("its end", true).isEmpty());
    assertEquals(Optional.of("1234"), message.add("1234", true));
  }

  @Test
  void theBoundIsInUtf8BytesNotCharacters() throws Exception {
    String twoBytesEach = "é".repeat(3);
    InboundMessage message = new InboundMessage(6);
    assertEquals(Optional.of(twoBytesEach), message.add(twoBytesEach, true));
    assertThrows(InboundMessage.TooBig.class, () -> message.add(twoBytesEach + "x", true));
  }

  @Test
  void utf8LengthMatchesTheEncoderEvenWithAPairSplitBetweenParts() {
    String text = "aé€😀z";
    assertEquals(text.getBytes(UTF_8).length, InboundMessage.utf8Length(text));
    int split = text.indexOf("😀") + 1;
    assertEquals(
        text.getBytes(UTF_8).length,
        InboundMessage.utf8Length(text.substring(0, split))
            + InboundMessage.utf8Length(text.substring(split)));
  }
}

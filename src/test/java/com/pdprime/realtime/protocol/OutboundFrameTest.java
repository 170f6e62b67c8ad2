package com.pdprime.realtime.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutboundFrameTest {

  @Test
  void asciiFrameCountsOneBytePerCharacter() {
    OutboundFrame frame = OutboundFrame.of("{\"type\":\"pong\"}");
    assertEquals("{\"type\":\"pong\"}", frame.text());
    assertEquals(15, frame.bytes());
  }

  @Test
  void emptyFrameHasNoBytes() {
    assertEquals(0, OutboundFrame.of("").bytes());
  }

  @Test
  void twoByteCharactersCountTwice() {
    // é and ü are two bytes each in UTF-8
    assertEquals(1 + 2 + 1 + 2, OutboundFrame.of("Jé ü").bytes());
  }

  @Test
  void threeByteCharactersCountThrice() {
    // € is three bytes in UTF-8
    assertEquals(3 + 2, OutboundFrame.of("€10").bytes());
  }

  @Test
  void charactersOutsideTheBmpCountFourBytesNotTwoChars() {
    String emoji = "ok \uD83D\uDE00"; // "ok 😀": a surrogate pair, 2 chars but 4 bytes
    assertEquals(5, emoji.length());
    assertEquals(3 + 4, OutboundFrame.of(emoji).bytes());
  }

  @Test
  void nonAsciiAfterALongAsciiPrefixIsStillCounted() {
    String text = "a".repeat(1000) + "ß";
    assertEquals(1000 + 2, OutboundFrame.of(text).bytes());
  }
}

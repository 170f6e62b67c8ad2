package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;

/**
 * The server's answer to a body over realtime.rest.max-body-bytes, read from a raw socket (the
 * JDK's client would insist on sending the whole body first): 413 with a JSON REQUEST_TOO_LARGE.
 */
final class TooLargeAnswer {
  private TooLargeAnswer() {}

  /**
   * Reads the answer. A body cut off mid-stream ({@code cutOff}) is answered with Connection:
   * close, as the rest of it is not read.
   */
  static void assertRead(Socket socket, boolean cutOff) throws IOException {
    RawAnswer answer = RawAnswer.read(socket);
    answer.error(413, "REQUEST_TOO_LARGE");
    if (cutOff) {
      assertTrue(answer.closesTheConnection(), answer.head());
    }
  }
}

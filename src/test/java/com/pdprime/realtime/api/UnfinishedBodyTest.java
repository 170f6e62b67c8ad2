package com.pdprime.realtime.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Which unfinished bodies still have a client to answer: the containers' timeouts, as each reports
 * them, against connections that ended.
 */
class UnfinishedBodyTest {

  /** Undertow's (XNIO's) is an IOException of its own with this name. */
  private static final class ReadTimeoutException extends IOException {}

  @Test
  void theContainersReadTimeoutsAreTimeouts() {
    assertTrue(new UnfinishedBody(new IOException(new TimeoutException())).timedOut(), "Grizzly");
    assertTrue(new UnfinishedBody(new ReadTimeoutException()).timedOut(), "Undertow");
  }

  @Test
  void aConnectionThatEndedIsNoTimeout() {
    assertFalse(new UnfinishedBody(new EOFException()).timedOut(), "Grizzly");
    assertFalse(
        new UnfinishedBody(
                new IOException(
                    "UT000128: Remote peer closed connection before all data could be read"))
            .timedOut(),
        "Undertow");
  }
}

package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConnectionCapsTest {
  private final ConnectionCaps caps = new ConnectionCaps();

  ConnectionCapsTest() {
    caps.settings = new EngineSettings();
    caps.settings.maxConnectionsPerSubject = 2;
    caps.settings.maxConnectionsPerAddress = 3;
    caps.settings.maxConnectionsPerInstance = 5;
  }

  @Test
  void instanceOverItsCapIsRefusedWith503AndRefusalsOfOtherCapsHoldNoPlaceOfIt() throws Exception {
    caps.take("a", "10.0.0.1");
    caps.take("a", "10.0.0.2");
    assertThrows(ConnectionCaps.Full.class, () -> caps.take("a", "10.0.0.3"));
    caps.take("b", "10.0.0.3");
    caps.take("c", "10.0.0.3");
    ConnectionCaps.Lease fifth = caps.take("d", "10.0.0.4");
    ConnectionCaps.Full full =
        assertThrows(ConnectionCaps.Full.class, () -> caps.take("e", "10.0.0.5"));
    assertEquals(503, full.status());
    assertEquals("SERVER_FULL", full.code());
    fifth.release();
    fifth.release();
    caps.take("e", "10.0.0.5");
    assertThrows(ConnectionCaps.Full.class, () -> caps.take("f", "10.0.0.6"));
  }

  @Test
  void subjectOverItsCapIsRefusedUntilOneOfItsSocketsCloses() throws Exception {
    ConnectionCaps.Lease first = caps.take("alice", "10.0.0.1");
    caps.take("alice", "10.0.0.2");
    ConnectionCaps.Full full =
        assertThrows(ConnectionCaps.Full.class, () -> caps.take("alice", "10.0.0.3"));
    assertEquals(429, full.status());
    assertEquals("TOO_MANY_CONNECTIONS_PER_USER", full.code());
    first.release();
    first.release();
    caps.take("alice", "10.0.0.3");
    assertThrows(ConnectionCaps.Full.class, () -> caps.take("alice", "10.0.0.4"));
  }

  @Test
  void addressOverItsCapIsRefusedWithoutHoldingAPlaceOfTheSubject() throws Exception {
    caps.take("a", "10.0.0.9");
    caps.take("b", "10.0.0.9");
    caps.take("c", "10.0.0.9");
    ConnectionCaps.Full full =
        assertThrows(ConnectionCaps.Full.class, () -> caps.take("d", "10.0.0.9"));
    assertEquals("TOO_MANY_CONNECTIONS_PER_ADDRESS", full.code());
    caps.take("d", "10.0.0.8");
    caps.take("d", "10.0.0.7");
  }
}

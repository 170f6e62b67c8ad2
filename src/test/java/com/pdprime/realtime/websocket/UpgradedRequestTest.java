package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A socket's request is held while the container still serves its TCP connection with it, and
 * released once the recycled request serves another connection, none, or refuses to answer.
 */
class UpgradedRequestTest {
  private final ConnectionIdRequest fake = new ConnectionIdRequest();
  private final AtomicReference<Object> current = fake.current;

  @Test
  void heldWhileTheRequestServesTheConnectionOfTheHandshake() {
    UpgradedRequest upgraded = UpgradedRequest.of(fake.request());

    assertEquals("17", upgraded.connectionId());
    assertTrue(upgraded.held());
  }

  @Test
  void releasedOnceTheRecycledRequestServesAnotherConnection() {
    UpgradedRequest upgraded = UpgradedRequest.of(fake.request());

    current.set("18");

    assertFalse(upgraded.held());
  }

  @Test
  void releasedWhenTheRecycledRequestHasNoConnection() {
    UpgradedRequest upgraded = UpgradedRequest.of(fake.request());

    current.set(null);

    assertFalse(upgraded.held());
  }

  @Test
  void releasedWhenTheClearedRequestThrows() {
    UpgradedRequest upgraded = UpgradedRequest.of(fake.request());

    current.set(new IllegalStateException("request object recycled"));

    assertFalse(upgraded.held());
  }

  @Test
  void aHandshakeWithoutAConnectionIdIsRefused() {
    current.set(null);

    assertThrows(IllegalStateException.class, () -> UpgradedRequest.of(fake.request()));
  }
}

package com.pdprime.realtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {
  private final TrustedProxies proxies =
      TrustedProxies.parse(List.of("10.0.0.5", " 10.1.0.0/16", "fd00::/8"));

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertEquals(
        Optional.of("203.0.113.9"), proxies.clientAddress("203.0.113.9", List.of("198.51.100.1")));
  }

  @Test
  void aTrustedProxyNamesTheClient() {
    assertEquals(
        Optional.of("198.51.100.7"), proxies.clientAddress("10.0.0.5", List.of("198.51.100.7")));
  }

  @Test
  void aClientCannotSpoofItselfPastTheProxyChain() {
    // The client wrote "1.2.3.4"; the edge proxy appended the address it saw, 198.51.100.7, and the
    // inner proxy (10.1.2.3) appended the edge's.
    assertEquals(
        Optional.of("198.51.100.7"),
        proxies.clientAddress("10.0.0.5", List.of("1.2.3.4, 198.51.100.7", "10.1.2.3")));
  }

  @Test
  void aChainOfOnlyTrustedProxiesEndsAtItsFirstEntry() {
    assertEquals(
        Optional.of("10.1.0.9"), proxies.clientAddress("10.0.0.5", List.of("10.1.0.9, 10.1.0.8")));
  }

  @Test
  void ipv6BlocksMatch() {
    assertEquals(
        Optional.of("2001:db8::1"), proxies.clientAddress("fd12::1", List.of("2001:db8::1")));
  }

  @Test
  void aTrustedProxyWithoutTheHeaderIsTheClient() {
    assertEquals(Optional.of("10.0.0.5"), proxies.clientAddress("10.0.0.5", List.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unknown", "cafe", "evil.example.com", "1.2.3.4\n[SEVERE] x", ""})
  void aTrustedProxyForwardingANonAddressIsRefusedNotResolved(String entry) {
    assertEquals(Optional.empty(), proxies.clientAddress("10.0.0.5", List.of(entry)));
  }

  @Test
  void noTrustedProxiesIgnoresTheHeader() {
    assertEquals(
        Optional.of("10.0.0.5"),
        TrustedProxies.NONE.clientAddress("10.0.0.5", List.of("198.51.100.7")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129"})
  void aMalformedTrustedEntryStopsTheStart(String entry) {
    assertThrows(IllegalStateException.class, () -> TrustedProxies.parse(List.of(entry)));
  }
}

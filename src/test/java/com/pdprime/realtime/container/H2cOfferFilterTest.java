package com.pdprime.realtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.HttpClientFilter;
import org.glassfish.grizzly.portunif.PUProtocol;
import org.junit.jupiter.api.Test;

class H2cOfferFilterTest {

  @Test
  void onlyAnOfferOfH2cAloneIsIgnored() {
    assertTrue(H2cOfferFilter.offersOnlyH2c("h2c"));
    assertTrue(H2cOfferFilter.offersOnlyH2c(" H2C "));
    assertFalse(H2cOfferFilter.offersOnlyH2c("websocket"));
    assertFalse(H2cOfferFilter.offersOnlyH2c("h2c, websocket"));
    assertFalse(H2cOfferFilter.offersOnlyH2c("h2"));
    assertFalse(H2cOfferFilter.offersOnlyH2c(""));
    assertFalse(H2cOfferFilter.offersOnlyH2c(null));
  }

  @Test
  void theListenersProtocolGetsTheFilterRightBehindItsHttpCodec() {
    HeaderDeadlineFilter portUnification = new HeaderDeadlineFilter();
    FilterChain http =
        FilterChainBuilder.stateless()
            .add(portUnification.getBackChannelFilter())
            .add(new HttpClientFilter())
            .add(new BaseFilter())
            .build();
    portUnification.register(new PUProtocol(new HttpOnlyFinder(), http));
    assertEquals(4, http.size());
    assertInstanceOf(H2cOfferFilter.class, http.get(2));
  }

  @Test
  void aProtocolWithoutHttpCodecStopsTheListener() {
    HeaderDeadlineFilter portUnification = new HeaderDeadlineFilter();
    FilterChain notHttp =
        FilterChainBuilder.stateless().add(portUnification.getBackChannelFilter()).build();
    assertThrows(
        IllegalStateException.class,
        () -> portUnification.register(new PUProtocol(new HttpOnlyFinder(), notHttp)));
  }
}

package com.pdprime.realtime.container;

import java.util.Locale;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpEvents;
import org.glassfish.grizzly.http.HttpHeader;

/**
 * Serves a request that offers the HTTP/2 cleartext upgrade (`Upgrade: h2c`) as plain HTTP/1.1,
 * which RFC 9110 §7.8 allows ("a server MAY ignore a received Upgrade header field").
 *
 * <p>Port unification turns Payara's HTTP/2 off on the listener (GenericGrizzlyListener adds the
 * HTTP/2 add-on to no port-unified protocol), and Grizzly's HTTP/1.1 parser alone takes every
 * request with an Upgrade header as a protocol switch: it stops reading the request's body by its
 * length and closes the connection after the response. A POST offering h2c, which Java's HttpClient
 * sends on every request by default, then waited 30 s for a body that never ended and was answered
 * 400. Grizzly's HTTP/2 filter declines such an offer the same way as here: it answers the codec's
 * upgrade event by restoring the body's framing.
 *
 * <p>HeaderDeadlineFilter places this filter right behind the HTTP codec of the listener's
 * protocol, where it sees every request of a connection, not only its first.
 */
public class H2cOfferFilter extends BaseFilter {

  @Override
  public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) {
    if (event.type() != HttpEvents.IncomingHttpUpgradeEvent.TYPE) {
      return ctx.getInvokeAction();
    }
    HttpHeader header = ((HttpEvents.IncomingHttpUpgradeEvent) event).getHttpHeader();
    if (!header.isRequest() || !offersOnlyH2c(header.getUpgrade())) {
      return ctx.getInvokeAction(); // a WebSocket handshake, for one, goes on as an upgrade
    }
    // The codec reads the body by Content-Length or chunks again and, with no upgrade left, keeps
    // the connection alive after the response. The Upgrade header itself stays for the application
    // to see, as Grizzly's HTTP/2 filter leaves it.
    header.setIgnoreContentModifiers(false);
    header.getUpgradeDC().recycle();
    return ctx.getStopAction();
  }

  /** True if the Upgrade header's value names h2c and no other protocol. */
  static boolean offersOnlyH2c(String upgrade) {
    return upgrade != null && upgrade.trim().toLowerCase(Locale.ROOT).equals("h2c");
  }
}

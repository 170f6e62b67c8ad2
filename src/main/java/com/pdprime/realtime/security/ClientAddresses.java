package com.pdprime.realtime.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address of the client behind a request, honouring {@code X-Forwarded-For} only from the
 * proxies in {@code realtime.proxy.trusted-addresses} (none by default: the header is ignored).
 */
@ApplicationScoped
public class ClientAddresses {
  @Inject
  @ConfigProperty(name = "realtime.proxy.trusted-addresses")
  Optional<String> trusted;

  private TrustedProxies proxies;

  @PostConstruct
  void configure() {
    proxies =
        trusted
            .map(list -> TrustedProxies.parse(List.of(list.split(","))))
            .orElse(TrustedProxies.NONE);
  }

  /** Empty when a trusted proxy forwarded something that is not an address. */
  public Optional<String> of(HttpServletRequest request) {
    return proxies.clientAddress(
        request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
  }
}

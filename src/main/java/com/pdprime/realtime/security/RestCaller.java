package com.pdprime.realtime.security;

import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;

/** The caller of a REST request, as the bearer-token filter verified it; empty when none came. */
public final class RestCaller {
  private RestCaller() {}

  public static Optional<Caller> of(SecurityContext security) {
    return security.getUserPrincipal() instanceof Caller caller
        ? Optional.of(caller)
        : Optional.empty();
  }
}

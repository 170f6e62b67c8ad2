package com.pdprime.realtime.security;

import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of a REST request, as MicroProfile JWT verified it; empty when no token came. */
public final class RestCaller {
  private RestCaller() {}

  public static Optional<Caller> of(SecurityContext security) {
    if (!(security.getUserPrincipal() instanceof JsonWebToken token)
        || token.getSubject() == null) {
      return Optional.empty();
    }
    String name = token.getClaim("name") instanceof String n ? n : token.getSubject();
    return Optional.of(
        new Caller(
            token.getSubject(),
            name,
            token.getGroups() == null ? java.util.Set.of() : token.getGroups(),
            Instant.ofEpochSecond(token.getExpirationTime())));
  }
}

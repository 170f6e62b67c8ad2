package com.pdprime.realtime.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * Who is on the other end of a connection or request, as proven by a verified token: the subject, a
 * display name, the permissions (the token's {@code groups}) and when the proof runs out.
 */
public record Caller(String subject, String displayName, Set<String> permissions, Instant expiresAt)
    implements Principal {

  public Caller {
    permissions = Set.copyOf(permissions);
  }

  public boolean has(String permission) {
    return permissions.contains(permission);
  }

  @Override
  public String getName() {
    return subject;
  }
}

package com.pdprime.realtime.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is on the other end of a connection or request, as proven by a verified token: the subject, a
 * display name, the permissions (the token's {@code groups}) and when the proof runs out.
 */
public record Caller(String subject, String displayName, Set<String> permissions, Instant expiresAt)
    implements Principal {

  /**
   * Permission names are a handful of words shared by every caller: one copy of each, not one per
   * token read, which every open connection kept (about 110 bytes a connection with two).
   */
  public Caller {
    permissions = permissions.stream().map(String::intern).collect(Collectors.toUnmodifiableSet());
  }

  public boolean has(String permission) {
    return permissions.contains(permission);
  }

  @Override
  public String getName() {
    return subject;
  }
}

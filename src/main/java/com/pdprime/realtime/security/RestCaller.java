package com.pdprime.realtime.security;

import jakarta.ws.rs.core.SecurityContext;

/** The caller of a REST request, as the bearer-token filter verified it. */
public final class RestCaller {
  private RestCaller() {}

  /**
   * The caller of a method that declares no permission: api/PermissionFilter lets such a request in
   * only with a verified token, so its absence here is a wiring error, not a client's.
   */
  public static Caller required(SecurityContext security) {
    if (security.getUserPrincipal() instanceof Caller caller) {
      return caller;
    }
    throw new IllegalStateException("an unauthenticated request passed PermissionFilter");
  }
}

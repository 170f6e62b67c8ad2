package com.pdprime.realtime.api;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.LogSafe;
import com.pdprime.realtime.security.TokenRejected;
import com.pdprime.realtime.security.TokenVerification;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.logging.Logger;

/**
 * Authenticates REST requests with the socket's own verifier: an {@code Authorization: Bearer}
 * token is checked exactly as at the handshake (same keys, claims, types, skew and errors), and the
 * verified {@link Caller} becomes the request's principal. A bad token is a 401 with the
 * handshake's {@code TOKEN_*} code, logged on one line without the token and without a stack trace.
 * A request without a token goes on unauthenticated; {@link PermissionFilter} decides whether that
 * is enough.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
  private static final Logger LOG = Logger.getLogger(BearerTokenFilter.class.getName());

  @Inject TokenVerification tokens;
  @Inject RealtimeMetrics metrics;

  @Override
  public void filter(ContainerRequestContext request) {
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (authorization == null) {
      return;
    }
    Caller caller;
    try {
      caller = tokens.verifyBearer(authorization);
    } catch (TokenRejected rejected) {
      String code = "TOKEN_" + rejected.reason().name();
      metrics.restRefused(code);
      LOG.info(
          "REST request refused status=401 code="
              + code
              + " reason="
              + rejected.getMessage()
              + " path="
              + LogSafe.quote(request.getUriInfo().getPath()));
      request.abortWith(
          ApiError.builder(
                  401,
                  code,
                  rejected.getMessage(),
                  "Get a fresh token from the identity provider and send it as Authorization:"
                      + " Bearer <token>.")
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
              .build());
      return;
    }
    request.setSecurityContext(
        new CallerSecurityContext(caller, request.getSecurityContext().isSecure()));
  }

  /** The verified caller as JAX-RS sees it; permissions are the roles. */
  private record CallerSecurityContext(Caller caller, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return caller.has(role);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}

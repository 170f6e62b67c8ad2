package com.pdprime.realtime.api;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.security.LogSafe;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * Authorises REST requests by the resource method's annotation: {@code @PermitAll} lets anyone in;
 * {@link RequiresPermission} needs a token with one of the named permissions (401 without a token,
 * 403 without the permission); a method with neither needs a verified token and checks the rest
 * itself (quote reads depend on whose quote it is). Refusals answer JSON in the socket's error
 * shape.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHORIZATION)
public class PermissionFilter implements ContainerRequestFilter {
  private static final Logger LOG = Logger.getLogger(PermissionFilter.class.getName());

  @Context ResourceInfo resource;
  @Inject RealtimeMetrics metrics;

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resource.getResourceMethod();
    if (method == null || method.isAnnotationPresent(PermitAll.class)) {
      return;
    }
    RequiresPermission needed = method.getAnnotation(RequiresPermission.class);
    if (needed == null) {
      needed = resource.getResourceClass().getAnnotation(RequiresPermission.class);
    }
    if (needed == null && resource.getResourceClass().isAnnotationPresent(PermitAll.class)) {
      return;
    }
    if (request.getSecurityContext().getUserPrincipal() == null) {
      refuse(
          request,
          401,
          "TOKEN_MISSING",
          "this request needs a token",
          "Send a token from the identity provider as Authorization: Bearer <token>.");
      return;
    }
    if (needed == null) {
      return;
    }
    for (String permission : needed.value()) {
      if (request.getSecurityContext().isUserInRole(permission)) {
        return;
      }
    }
    refuse(
        request,
        403,
        "FORBIDDEN",
        "this request needs the permission " + String.join(" or ", needed.value()),
        "Ask an administrator for the permission, or use an account that has it.");
  }

  private void refuse(
      ContainerRequestContext request, int status, String code, String message, String action) {
    metrics.restRefused(code);
    LOG.info(
        "REST request refused status="
            + status
            + " code="
            + code
            + " user="
            + LogSafe.quote(
                request.getSecurityContext().getUserPrincipal() == null
                    ? null
                    : request.getSecurityContext().getUserPrincipal().getName())
            + " path="
            + LogSafe.quote(request.getUriInfo().getPath()));
    var response = ApiError.builder(status, code, message, action);
    if (status == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    request.abortWith(response.build());
  }
}

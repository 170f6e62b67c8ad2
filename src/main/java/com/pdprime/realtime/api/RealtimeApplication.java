package com.pdprime.realtime.api;

import com.pdprime.realtime.security.Permissions;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The REST API under {@code /api/v1}, secured by MicroProfile JWT; permissions are token groups. It
 * is a CDI bean so that Payara's MP-JWT extension, which looks for {@code @LoginConfig} on beans,
 * sees it.
 */
@ApplicationScoped
@ApplicationPath("api/v1")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({
  Permissions.QUOTE_READ,
  Permissions.QUOTE_WRITE,
  Permissions.PREMIUM_VIEW,
  Permissions.REALTIME_PUBLISH,
  Permissions.REALTIME_ADMIN
})
public class RealtimeApplication extends Application {}

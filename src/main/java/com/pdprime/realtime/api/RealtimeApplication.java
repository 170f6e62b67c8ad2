package com.pdprime.realtime.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The REST API under {@code /api/v1}. Tokens are checked by {@link BearerTokenFilter} with the
 * socket's own verifier and permissions by {@link PermissionFilter}, not by the server's
 * MicroProfile JWT: one verifier means REST and the socket accept exactly the same tokens.
 */
@ApplicationPath("api/v1")
public class RealtimeApplication extends Application {}

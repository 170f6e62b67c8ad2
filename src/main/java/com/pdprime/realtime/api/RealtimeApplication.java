package com.pdprime.realtime.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/**
 * The REST API under {@code /api/v1}. Tokens are checked by {@link BearerTokenFilter} with the
 * socket's own verifier and permissions by {@link PermissionFilter}, not by the server's
 * MicroProfile JWT: one verifier means REST and the socket accept exactly the same tokens.
 */
@ApplicationPath("api/v1")
public class RealtimeApplication extends Application {
  /**
   * Jersey (Payara) buffers each response to give it a {@code Content-Length}, in a new array of
   * this size: 8 KiB by default, for a publish's answer of about 100 bytes, 8 % of all the server
   * allocated at 1,000 publishes/s (bench/RESULTS.md, "Fourth stop of 2026-12-02"). The answers are
   * small; a longer one is sent chunked. Other runtimes ignore the property.
   */
  private static final int RESPONSE_BUFFER_BYTES = 1024;

  /**
   * An error answered without a body is sent as it is, status and headers, not handed to the
   * servlet container's {@code sendError}, which writes the server's HTML error page (only {@link
   * UnfinishedBodyMapper} answers without a body). Other runtimes ignore the property.
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        "jersey.config.server.contentLength.buffer",
        RESPONSE_BUFFER_BYTES,
        "jersey.config.server.response.setStatusOverSendError",
        true);
  }
}

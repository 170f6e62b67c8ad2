package com.pdprime.realtime.websocket;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.ClientAddresses;
import com.pdprime.realtime.security.LogSafe;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.TokenRejected;
import com.pdprime.realtime.security.TokenVerification;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Decides every WebSocket handshake before the upgrade: a free place among the handshakes in
 * progress, allowed Origin, the protocol version, a valid token, and room under the instance's, the
 * subject's and the address's connection caps. A refusal is an HTTP 400, 401, 403, 429 or 503 (with
 * {@code Retry-After}) with a JSON body naming the reason, logged with the reason and the client
 * address, never with the token. An accepted handshake continues with the verified caller as its
 * user principal, which {@link SessionConfigurator} binds to the session.
 *
 * <p>This is a servlet filter rather than code in the configurator because Jakarta WebSocket gives
 * a configurator no portable way to answer with a status code; the filter runs in front of the
 * upgrade on every servlet container.
 */
// One pattern: "/ws/*" also matches "/ws" itself, and with both patterns Payara put the filter in
// the chain twice, so every handshake was checked twice and took two places under the caps.
@WebFilter(urlPatterns = "/ws/*")
public class HandshakeFilter extends HttpFilter {
  private static final Logger LOG = Logger.getLogger(HandshakeFilter.class.getName());

  @Inject TokenVerification tokens;
  @Inject ClientAddresses clientAddresses;
  @Inject EngineSettings settings;
  @Inject RealtimeMetrics metrics;
  @Inject ConnectionCaps caps;
  @Inject LingeringSockets lingering;

  private Semaphore inProgress;
  private final AtomicLong busySinceLogged = new AtomicLong();
  // A second ago, so that the first refusal is logged at once.
  private final AtomicLong busyLoggedAt =
      new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));

  @Override
  public void init() {
    inProgress = new Semaphore(settings.maxHandshakesInProgress());
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    // First and cheap: a refusal here costs no token verification, so a burst beyond what the
    // workers can decide is answered at once instead of queueing in the container.
    if (!inProgress.tryAcquire()) {
      refuseBusy(response);
      return;
    }
    try {
      decide(request, response, chain);
    } finally {
      inProgress.release();
    }
  }

  private void decide(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<String> client = clientAddresses.of(request);
    if (client.isEmpty()) {
      refuse(
          request,
          response,
          400,
          "FORWARDED_FOR_INVALID",
          "the trusted proxy forwarded an X-Forwarded-For entry that is not an IP address",
          "Fix the reverse proxy's X-Forwarded-For header.");
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin == null
        ? !settings.allowMissingOrigin()
        : !settings.allowedOrigins().contains(origin)) {
      refuse(
          request,
          response,
          403,
          "ORIGIN_NOT_ALLOWED",
          "origin " + LogSafe.quote(origin) + " is not allowed",
          "Open the page from an allowed origin.");
      return;
    }
    List<String> entries =
        Subprotocol.entries(Collections.list(request.getHeaders("Sec-WebSocket-Protocol")));
    if (!entries.contains(Subprotocol.VERSION)) {
      refuse(
          request,
          response,
          400,
          "SUBPROTOCOL_REQUIRED",
          "offer the subprotocol " + Subprotocol.VERSION,
          "Add " + Subprotocol.VERSION + " to the WebSocket's protocols.");
      return;
    }
    String token = Subprotocol.token(entries);
    if (token == null) {
      token = bearer(request.getHeader("Authorization"));
    }
    Caller caller;
    try {
      caller = tokens.verify(token);
    } catch (TokenRejected rejected) {
      refuse(
          request,
          response,
          401,
          "TOKEN_" + rejected.reason().name(),
          rejected.getMessage(),
          "Get a fresh token from the identity provider and connect again.");
      return;
    }
    // Decoded, as the container matches endpoints: /ws/%61dmin is /ws/admin here too.
    String endpoint =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    if (Handshake.OPERATORS.equals(endpoint) && !caller.has(Permissions.ADMIN_ACCESS)) {
      refuse(
          request,
          response,
          403,
          "ADMIN_ACCESS_REQUIRED",
          "/ws/admin is for operators; the token does not hold " + Permissions.ADMIN_ACCESS,
          "Connect to /ws, or ask for the admin:access permission.");
      return;
    }
    ConnectionCaps.Lease lease;
    try {
      lease = caps.take(caller.subject(), client.get());
    } catch (ConnectionCaps.Full full) {
      if (full.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
        response.setIntHeader("Retry-After", settings.fullRetryAfterSeconds());
      }
      refuse(request, response, full.status(), full.code(), full.getMessage(), full.action());
      return;
    }
    Handshake handshake =
        new Handshake(
            caller,
            client.get(),
            request.getHeader("User-Agent"),
            endpoint,
            lease,
            new UpgradeHandOver());
    try {
      chain.doFilter(
          new AuthenticatedRequest(request, handshake, settings.maxFrameBytes(), lingering),
          response);
    } finally {
      // Only an upgraded socket keeps its place; it gives it back when it closes.
      if (response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
        lease.release();
      }
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  /**
   * Counted each, logged as one line a second at most, with the refusals since the line before (the
   * metric has every one): a line per refusal would add the log's work to an overload exactly when
   * the server sheds it.
   */
  private void refuseBusy(HttpServletResponse response) throws IOException {
    metrics.handshakeRefused("SERVER_BUSY");
    busySinceLogged.incrementAndGet();
    long now = System.nanoTime();
    long logged = busyLoggedAt.get();
    if (now - logged >= TimeUnit.SECONDS.toNanos(1) && busyLoggedAt.compareAndSet(logged, now)) {
      LOG.warning(
          "handshakes refused status=503 code=SERVER_BUSY count="
              + busySinceLogged.getAndSet(0)
              + " since the last such line: "
              + settings.maxHandshakesInProgress()
              + " handshakes were in progress (realtime.handshake.max-in-progress)");
    }
    response.setIntHeader("Retry-After", settings.busyRetryAfterSeconds());
    answer(
        response,
        503,
        "SERVER_BUSY",
        "this server is deciding " + settings.maxHandshakesInProgress() + " handshakes already",
        "Connect again after the Retry-After delay.");
  }

  private void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String message,
      String action)
      throws IOException {
    metrics.handshakeRefused(code);
    LOG.info(
        "handshake refused status="
            + status
            + " code="
            + code
            + " reason="
            + message
            + " peer="
            + request.getRemoteAddr()
            + " forwardedFor="
            + LogSafe.quote(request.getHeader("X-Forwarded-For")));
    answer(response, status, code, message, action);
  }

  private static void answer(
      HttpServletResponse response, int status, String code, String message, String action)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response
        .getWriter()
        .write(
            JSON.createObjectBuilder()
                .add("code", code)
                .add("message", message)
                .add("action", action)
                .build()
                .toString());
  }

  /**
   * The handshake request as the endpoint sees it: the verified handshake is its user principal,
   * and its upgrade reads client frames through the frame check ({@link FrameCheckedUpgrade}).
   */
  private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
    private final Handshake handshake;
    private final int maxTextMessageBytes;
    private final LingeringSockets lingering;

    AuthenticatedRequest(
        HttpServletRequest request,
        Handshake handshake,
        int maxTextMessageBytes,
        LingeringSockets lingering) {
      super(request);
      this.handshake = handshake;
      this.maxTextMessageBytes = maxTextMessageBytes;
      this.lingering = lingering;
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass)
        throws IOException, ServletException {
      return FrameCheckedUpgrade.upgrade(
          (HttpServletRequest) getRequest(),
          handlerClass,
          maxTextMessageBytes,
          lingering,
          handshake.handOver());
    }

    @Override
    public Principal getUserPrincipal() {
      return handshake;
    }
  }
}

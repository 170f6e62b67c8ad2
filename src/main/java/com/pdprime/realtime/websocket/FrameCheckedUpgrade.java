package com.pdprime.realtime.websocket;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Where the upgrade to a WebSocket happens: on Tyrus's servlet container (Payara), the handler that
 * reads the connection is {@link FrameCheckingUpgradeHandler}, so every client frame header is
 * judged before Tyrus buffers the frame; the container creates only its small stand-in, {@link
 * ContainerUpgradeHandler}; it also hands the endpoint Tyrus's writer of encoded frames ({@link
 * UpgradeHandOver}). Any other handler class is a container this check does not know (WildFly's
 * Undertow does not upgrade through the filtered request at all); it is upgraded unchanged and the
 * log says once that the container's own limits alone apply.
 */
final class FrameCheckedUpgrade {
  private static final Logger LOG = Logger.getLogger(FrameCheckedUpgrade.class.getName());
  private static final String TYRUS_HANDLER = "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler";
  private static final AtomicBoolean UNKNOWN_REPORTED = new AtomicBoolean();

  private FrameCheckedUpgrade() {}

  static <T extends HttpUpgradeHandler> T upgrade(
      HttpServletRequest request,
      Class<T> handlerClass,
      int maxTextMessageBytes,
      LingeringSockets lingering,
      UpgradeHandOver handOver)
      throws IOException, ServletException {
    if (!TYRUS_HANDLER.equals(handlerClass.getName())) {
      if (UNKNOWN_REPORTED.compareAndSet(false, true)) {
        LOG.warning(
            "upgrade handler "
                + handlerClass.getName()
                + " is not Tyrus's: client frames are not checked before they are buffered");
      }
      return request.upgrade(handlerClass);
    }
    FrameCheckingUpgradeHandler handler =
        new FrameCheckingUpgradeHandler(
            new InboundFrameCheck(maxTextMessageBytes),
            UpgradedRequest.of(request),
            lingering,
            handOver);
    request.upgrade(ContainerUpgradeHandler.class).handTo(handler);
    return handlerClass.cast(handler);
  }
}

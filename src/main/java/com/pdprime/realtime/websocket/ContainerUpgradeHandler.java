package com.pdprime.realtime.websocket;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

/**
 * The upgrade handler the container creates for each WebSocket on Payara, standing in for the
 * {@link FrameCheckingUpgradeHandler} that {@link FrameCheckedUpgrade} makes itself: the
 * container's two calls are handed on to it.
 *
 * <p>Why a stand-in: Payara creates every upgrade handler through CDI, and Weld builds the class's
 * interception model again for each one (it keeps a model only for a class that has interceptors),
 * walking every method of the class and its superclasses. For Tyrus's handler and ours, about 25
 * methods, the creation allocated 22 KB per upgrade, 7.5 % of what a reconnect storm allocates;
 * with this class, which has three, 10 KB. Its CPU did not change (about 6 % of a storm's samples):
 * that is Weld's work per created object whatever the class (bench/RESULTS.md, "Fifth stop of
 * 2026-12-05").
 */
public final class ContainerUpgradeHandler implements HttpUpgradeHandler {
  private volatile HttpUpgradeHandler handler;

  /** Called by {@link FrameCheckedUpgrade} right after the container created this one. */
  void handTo(HttpUpgradeHandler upgradeHandler) {
    handler = upgradeHandler;
  }

  @Override
  public void init(WebConnection connection) {
    handler().init(connection);
  }

  @Override
  public void destroy() {
    handler().destroy();
  }

  private HttpUpgradeHandler handler() {
    HttpUpgradeHandler upgradeHandler = handler;
    if (upgradeHandler == null) {
      throw new IllegalStateException("the container's upgrade handler was never handed its own");
    }
    return upgradeHandler;
  }
}

package com.pdprime.realtime.websocket;

import jakarta.websocket.Session;

/**
 * What a socket's upgrade hands to its endpoint beside the session: the container's writer of
 * encoded frames, where the upgrade has one ({@link FrameCheckingUpgradeHandler}, Payara). It
 * travels in the {@link Handshake}, the one object both the upgrade and the endpoint's open see.
 */
public final class UpgradeHandOver {
  private volatile EncodedFrames encodedFrames;

  /** Before the container opens the session, so the endpoint's open finds it. */
  void encodedFrames(EncodedFrames frames) {
    encodedFrames = frames;
  }

  /** The socket the connection's outbox writes to. */
  Outbox.Socket socket(Session session) {
    EncodedFrames frames = encodedFrames;
    return frames == null
        ? new TextSocket(session.getAsyncRemote())
        : new EncodedSocket(frames, session);
  }
}

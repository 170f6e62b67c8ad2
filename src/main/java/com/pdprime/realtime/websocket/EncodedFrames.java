package com.pdprime.realtime.websocket;

import jakarta.websocket.SendHandler;
import java.nio.ByteBuffer;

/**
 * A socket's writer of whole WebSocket frames already encoded, in the order they are given, among
 * the frames the container writes itself (pings, pongs, the close). Handed over by the upgrade
 * where the container has one ({@link FrameCheckingUpgradeHandler}, Tyrus on Payara).
 */
interface EncodedFrames {
  /** {@code frame}'s bytes are not changed nor kept after {@code done} has heard the end. */
  void write(ByteBuffer frame, SendHandler done);
}

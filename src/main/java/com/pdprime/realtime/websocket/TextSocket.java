package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.OutboundFrame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A socket written through the WebSocket API: the container encodes each text it is given, for each
 * socket again. The way on containers whose upgrade hands over no writer of encoded frames
 * (WildFly's Undertow).
 */
final class TextSocket implements Outbox.Socket {
  private final RemoteEndpoint.Async remote;

  TextSocket(RemoteEndpoint.Async remote) {
    this.remote = remote;
  }

  @Override
  public void sendText(List<OutboundFrame> frames, SendHandler done) {
    remote.sendText(joined(frames), done);
  }

  @Override
  public void sendPing(ByteBuffer payload) throws IOException {
    remote.sendPing(payload);
  }

  /** The one text message a batch is sent as. */
  static String joined(List<OutboundFrame> frames) {
    if (frames.size() == 1) {
      return frames.get(0).text();
    }
    int length = frames.size() - 1;
    for (OutboundFrame frame : frames) {
      length += frame.text().length();
    }
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) {
        text.append('\n');
      }
      text.append(frames.get(i).text());
    }
    return text.toString();
  }
}

package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.OutboundFrame;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A socket written with encoded frames: a batch of one frame goes out as that frame's shared bytes
 * ({@link OutboundFrame#textFrame}), so an event costs one encoding however many sockets it goes
 * to; a batch of several is one new frame, its payloads copied in, never encoded again.
 *
 * <p>Why: given the text, Tyrus encodes it to UTF-8 and copies it into a new frame for each socket,
 * 13–14 % of the socket writers' time in a broadcast to 10,000 (bench/RESULTS.md, "Second stop of
 * 2026-12-03", part 2). Pings still go through the session: they are small and rare.
 */
final class EncodedSocket implements Outbox.Socket {
  private final EncodedFrames frames;
  private final Session session;

  EncodedSocket(EncodedFrames frames, Session session) {
    this.frames = frames;
    this.session = session;
  }

  /** Refuses a closed session as the container's own send does, so no frame follows the close. */
  @Override
  public void sendText(List<OutboundFrame> batch, SendHandler done) {
    if (!session.isOpen()) {
      throw new IllegalStateException("the session is closed");
    }
    frames.write(ByteBuffer.wrap(frame(batch)), done);
  }

  @Override
  public void sendPing(ByteBuffer payload) throws IOException {
    session.getAsyncRemote().sendPing(payload);
  }

  static byte[] frame(List<OutboundFrame> batch) {
    if (batch.size() == 1) {
      return batch.get(0).textFrame();
    }
    int payload = batch.size() - 1;
    for (OutboundFrame frame : batch) {
      payload += frame.bytes();
    }
    byte[] joined = OutboundFrame.emptyTextFrame(payload);
    int at = OutboundFrame.headerBytes(payload);
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) {
        joined[at++] = '\n';
      }
      OutboundFrame frame = batch.get(i);
      byte[] one = frame.textFrame();
      System.arraycopy(one, one.length - frame.bytes(), joined, at, frame.bytes());
      at += frame.bytes();
    }
    return joined;
  }
}

package com.pdprime.realtime.websocket;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * The container's output stream of an upgraded socket, written only while the container holds the
 * socket's request ({@link UpgradedRequest}).
 *
 * <p>A frame is checked once, not at each of its three calls. Tyrus's servlet writer sends a frame
 * as {@code isReady}, {@code write}, {@code flush} under its writer's monitor; the check asks
 * Payara, which builds a {@code ServletConnection} and the id's string each time. The three checks
 * a frame were 15 % of the writer threads' samples in a broadcast to 10,000 sockets, but five in
 * six of them fell on the first (the frame's first touch of a request not in the CPU's cache), so
 * checking once saved 2–3 % of the server, not two thirds (bench/RESULTS.md, "Second stop of
 * 2026-12-02", part 1). The check at {@code isReady} therefore stands for the {@code write} and
 * {@code flush} that follow it, and {@code flush} ends it; a write that comes without an {@code
 * isReady} before it checks on its own. A recycle between {@code isReady} and the write is missed,
 * as one between any check and the container call after it always was.
 */
final class HeldOutput extends ServletOutputStream {
  private final ServletOutputStream out;
  private final UpgradedRequest upgraded;

  /** Held at the last {@code isReady}, and no flush since. */
  private volatile boolean checkedForThisFrame;

  HeldOutput(ServletOutputStream out, UpgradedRequest upgraded) {
    this.out = out;
    this.upgraded = upgraded;
  }

  @Override
  public void write(int b) throws IOException {
    requireHeld();
    out.write(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    requireHeld();
    out.write(bytes, offset, length);
  }

  @Override
  public void flush() throws IOException {
    requireHeld();
    checkedForThisFrame = false;
    out.flush();
  }

  /** A released stream serves another connection now: it is not the socket's to close. */
  @Override
  public void close() throws IOException {
    checkedForThisFrame = false;
    requireHeld();
    out.close();
  }

  /** A released stream is "ready" so the writer goes on to write and fails at once. */
  @Override
  public boolean isReady() {
    boolean held = upgraded.held();
    if (!held) {
      checkedForThisFrame = false;
      return true;
    }
    boolean ready = out.isReady();
    checkedForThisFrame = ready;
    return ready;
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    out.setWriteListener(listener);
  }

  private void requireHeld() throws IOException {
    if (!checkedForThisFrame && !upgraded.held()) {
      throw new IOException("the container released the socket's connection");
    }
  }
}

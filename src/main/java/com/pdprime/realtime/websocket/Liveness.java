package com.pdprime.realtime.websocket;

/**
 * What the heartbeat knows of a client: when the server last heard a frame from it, and whether a
 * ping written since has gone unanswered, and for how long. Times are {@link System#nanoTime}.
 *
 * <p>Frames are heard on the connection's message thread, pings written on its writer's: a frame
 * read in the instant a ping is written can leave that ping unwatched, and then the next ping, an
 * interval later, is the one watched.
 */
final class Liveness {
  private volatile long lastHeardNanos;

  /**
   * When the first ping written after the last frame heard went out; answered, and so replaced by
   * the next ping written, once a frame is heard after it.
   */
  private volatile long pingWrittenNanos;

  Liveness(long openedNanos) {
    lastHeardNanos = openedNanos;
    pingWrittenNanos = openedNanos;
  }

  /** Any frame from the client: it is alive, and every ping written before now is answered. */
  void heard(long nanoTime) {
    lastHeardNanos = nanoTime;
  }

  /** A ping reached the socket; it is watched unless an earlier one is still unanswered. */
  void pingWritten(long nanoTime) {
    if (pingWrittenNanos - lastHeardNanos <= 0) {
      pingWrittenNanos = nanoTime;
    }
  }

  long nanosSinceHeard(long nanoTime) {
    return nanoTime - lastHeardNanos;
  }

  /**
   * How long the oldest ping written since the last frame heard has gone unanswered; 0 if a frame
   * followed every ping written.
   */
  long nanosPingUnanswered(long nanoTime) {
    long written = pingWrittenNanos;
    return written - lastHeardNanos > 0 ? nanoTime - written : 0;
  }
}

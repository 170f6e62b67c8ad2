package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.ProtocolException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A fixed number of places for commands that may wait for the database on the container's worker
 * that carries them. A database that does not answer holds each such command until the pool's
 * statement timeout; the places keep those commands from holding every worker of the instance, so
 * pings, handshakes and REST are still served. A command that finds no place free within the wait
 * is answered {@code SERVER_BUSY} and not carried out.
 */
final class CommandPlaces {
  private final Semaphore free;
  private final int places;
  private final long waitMillis;
  private final String carried;

  /**
   * @param carried what the places carry, plural, for the refusal's message ("subscribes")
   */
  CommandPlaces(int places, long waitMillis, String carried) {
    this.free = new Semaphore(places);
    this.places = places;
    this.waitMillis = waitMillis;
    this.carried = carried;
  }

  /** Takes a place, to be given back with {@link #leave}; else {@code SERVER_BUSY}. */
  void enter(String commandId) throws ProtocolException {
    boolean entered;
    try {
      entered = free.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      entered = false;
    }
    if (!entered) {
      throw new ProtocolException(
          ErrorCode.SERVER_BUSY,
          places + " " + carried + " are in progress on this server, waiting for its database",
          commandId);
    }
  }

  void leave() {
    free.release();
  }
}

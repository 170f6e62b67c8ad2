package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.protocol.ProtocolException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A fixed number of places for commands that may wait for the database on the container's worker
 * that carries them. A database that does not answer holds each such command until the pool's
 * statement timeout; the places keep those commands from holding every worker of the instance, so
 * pings, handshakes and REST are still served. A command that finds no place free waits for one,
 * else it is answered {@code SERVER_BUSY} and not carried out.
 *
 * <p>It waits only while the places move. In a burst of quick commands a place is given back every
 * few milliseconds, and waiting for one beats a refusal the client must send again. While the
 * database holds them none moves, and each waiting command would hold its worker for the whole
 * wait: a steady stream of commands during a long stall would keep every worker waiting. So once no
 * command has taken or given back a place for longer than the wait, the next is refused at once.
 */
final class CommandPlaces {
  private final Semaphore free;
  private final int places;
  private final long waitMillis;
  private final String carried;
  private final LongSupplier nanoTime;
  private volatile long movedAtNanos;

  /**
   * @param carried what the places carry, plural, for the refusal's message ("subscribes")
   */
  CommandPlaces(int places, long waitMillis, String carried) {
    this(places, waitMillis, carried, System::nanoTime);
  }

  CommandPlaces(int places, long waitMillis, String carried, LongSupplier nanoTime) {
    this.free = new Semaphore(places);
    this.places = places;
    this.waitMillis = waitMillis;
    this.carried = carried;
    this.nanoTime = nanoTime;
    this.movedAtNanos = nanoTime.getAsLong();
  }

  /** Takes a place, to be given back with {@link #leave}; else {@code SERVER_BUSY}. */
  void enter(String commandId) throws ProtocolException {
    if (!free.tryAcquire()) {
      if (nanoTime.getAsLong() - movedAtNanos > TimeUnit.MILLISECONDS.toNanos(waitMillis)) {
        throw busy(
            " and none has finished for over " + waitMillis + " ms: its database is not answering",
            commandId);
      }
      if (!waitForPlace()) {
        throw busy(", waiting for its database", commandId);
      }
    }
    movedAtNanos = nanoTime.getAsLong();
  }

  void leave() {
    movedAtNanos = nanoTime.getAsLong();
    free.release();
  }

  private boolean waitForPlace() {
    try {
      return free.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ProtocolException busy(String why, String commandId) {
    return new ProtocolException(
        ErrorCode.SERVER_BUSY,
        places + " " + carried + " are in progress on this server" + why,
        commandId);
  }
}

package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets the server has closed while their clients' side is still open: each lingers until the
 * client ends its side or for at most 2 s ({@link FrameCheckingUpgradeHandler}). The engine's stop
 * waits for them and ends what is left itself, while the container still stands: a socket still
 * lingering when Payara stopped its network threads was ended from a thread the container had
 * interrupted, and Payara logged SEVERE for the servlet container's clean-up of that connection.
 */
@ApplicationScoped
public class LingeringSockets {
  private final Set<Runnable> ends = ConcurrentHashMap.newKeySet();

  /** A socket starts to linger; {@code end} ends it now and is also what {@link #ended} takes. */
  void lingering(Runnable end) {
    ends.add(end);
  }

  void ended(Runnable end) {
    ends.remove(end);
  }

  int count() {
    return ends.size();
  }

  /** Ends every socket still lingering; returns how many there were. */
  int endAll() {
    List<Runnable> left = List.copyOf(ends);
    left.forEach(Runnable::run);
    return left.size();
  }
}

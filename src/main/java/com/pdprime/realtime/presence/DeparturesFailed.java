package com.pdprime.realtime.presence;

import java.util.List;

/** A departure batch whose rows could not be removed, naming how many and the first. */
class DeparturesFailed extends RuntimeException {
  DeparturesFailed(List<String> connectionIds, RuntimeException cause) {
    super(
        "presence rows of "
            + connectionIds.size()
            + " closed connections not removed (first conn="
            + connectionIds.get(0)
            + "); they go when this instance stops",
        cause);
  }
}

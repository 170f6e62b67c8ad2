package com.pdprime.realtime.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The deadline of every JSON request body: {@code realtime.rest.body-deadline-ms} from the server's
 * first read of it (docs/operations.md §5.6), on the REST requests' timer, where a body read in
 * time cancels its deadline and so leaves the queue at once.
 */
@ApplicationScoped
public class BodyDeadlines {
  @Inject RequestTimer timer;

  @Inject
  @ConfigProperty(name = "realtime.rest.body-deadline-ms")
  long deadlineMillis;

  /** The body's stream, watched from now until {@link WatchedBody#finished()}. */
  WatchedBody watch(InputStream body) {
    WatchedBody watched = new WatchedBody(body);
    watched.watchedUntil(timer.deadline(deadlineMillis, watched::overdue));
    return watched;
  }
}

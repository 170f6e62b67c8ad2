package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.connections.ConnectionClosed;
import com.pdprime.realtime.relay.RoomRelay;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.scheduling.Timers;
import com.pdprime.realtime.security.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * "X is editing field F" indicators: ephemeral {@code quote.editing} events, at most one per user
 * per field per min-interval (a change that comes sooner is sent when the interval is up, the
 * latest state winning), released on blur, when the connection ends, and after an idle timeout.
 */
@ApplicationScoped
public class EditingIndicators {
  @Inject RoomRelay relay;
  @Inject Timers timers;

  @Inject
  @ConfigProperty(name = "realtime.quotes.editing-min-interval-ms")
  long minIntervalMillis;

  @Inject
  @ConfigProperty(name = "realtime.quotes.editing-idle-timeout-ms")
  long idleTimeoutMillis;

  private record Key(RoomName room, String subject, String field) {}

  /** One user's indicator on one field; guarded by its own monitor. */
  private static final class Indicator {
    String name;
    String connectionId;
    boolean editing;
    boolean announced;
    long lastFocusMillis;
    long lastSentMillis = Long.MIN_VALUE / 2;
    boolean flushScheduled;
    boolean forgotten;
  }

  private final Map<Key, Indicator> indicators = new ConcurrentHashMap<>();

  @PostConstruct
  void start() {
    timers.every("editing indicator sweep", 1000, this::sweep);
  }

  public void focus(RoomName room, Caller caller, String connectionId, String field) {
    Key key = new Key(room, caller.subject(), field);
    Indicator indicator = indicators.computeIfAbsent(key, k -> new Indicator());
    synchronized (indicator) {
      if (indicator.forgotten) {
        // The sweeper dropped it between lookup and lock; start over with a fresh one.
        focus(room, caller, connectionId, field);
        return;
      }
      indicator.name = caller.displayName();
      indicator.connectionId = connectionId;
      indicator.editing = true;
      indicator.lastFocusMillis = System.currentTimeMillis();
      request(key, indicator);
    }
  }

  public void blur(RoomName room, Caller caller, String field) {
    release(new Key(room, caller.subject(), field));
  }

  void connectionEnded(@Observes ConnectionClosed closed) {
    indicators.forEach(
        (key, indicator) -> {
          synchronized (indicator) {
            if (closed.connectionId().equals(indicator.connectionId)) {
              indicator.editing = false;
              request(key, indicator);
            }
          }
        });
  }

  private void release(Key key) {
    Indicator indicator = indicators.get(key);
    if (indicator != null) {
      synchronized (indicator) {
        indicator.editing = false;
        request(key, indicator);
      }
    }
  }

  /** Sends the indicator's state now if the interval allows, else once it does. */
  private void request(Key key, Indicator indicator) {
    if (indicator.announced == indicator.editing || indicator.flushScheduled) {
      return;
    }
    long wait = indicator.lastSentMillis + minIntervalMillis - System.currentTimeMillis();
    if (wait <= 0) {
      announce(key, indicator);
    } else {
      indicator.flushScheduled = true;
      timers.once("editing indicator flush", wait, () -> flush(key, indicator));
    }
  }

  private void flush(Key key, Indicator indicator) {
    synchronized (indicator) {
      indicator.flushScheduled = false;
      if (indicator.announced != indicator.editing) {
        announce(key, indicator);
      }
    }
  }

  private void announce(Key key, Indicator indicator) {
    long now = System.currentTimeMillis();
    indicator.announced = indicator.editing;
    indicator.lastSentMillis = now;
    relay.send(
        new EphemeralEvent(
            key.room(),
            "quote.editing",
            now,
            JSON.createObjectBuilder()
                .add("subject", key.subject())
                .add("name", indicator.name)
                .add("field", key.field())
                .add("editing", indicator.editing)
                .build()));
  }

  /** Releases idle focus, and forgets indicators that are off and past their interval. */
  private void sweep() {
    long now = System.currentTimeMillis();
    indicators.forEach(
        (key, indicator) -> {
          synchronized (indicator) {
            if (indicator.editing && now - indicator.lastFocusMillis > idleTimeoutMillis) {
              indicator.editing = false;
              request(key, indicator);
            } else if (!indicator.editing
                && !indicator.announced
                && !indicator.flushScheduled
                && now - indicator.lastSentMillis > minIntervalMillis) {
              indicator.forgotten = true;
              indicators.remove(key, indicator);
            }
          }
        });
  }
}

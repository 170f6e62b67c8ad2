package com.pdprime.realtime.relay;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.EphemeralEventArrived;
import com.pdprime.realtime.rooms.RoomEventArrived;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.websocket.RoomChannels;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hands relayed events to this instance's room channels on {@link RoomLanes}: rooms in parallel,
 * each room's events in the order the broker delivered them (durable and ephemeral alike, so a
 * calculation's progress still reaches clients before the result sent after it). With one thread
 * for every room, each room waited behind any other's delivery: a gap filled from the database, a
 * large room's fan-out.
 */
@ApplicationScoped
public class RelayedDelivery {
  private static final Logger LOG = Logger.getLogger(RelayedDelivery.class.getName());

  /**
   * Events waiting per lane. Full, the relay's consumer waits, and the broker holds the topic's
   * messages for this instance; nothing is dropped here.
   */
  static final int LANE_CAPACITY = 10_000;

  @Inject
  @ConfigProperty(name = "realtime.relay.delivery-lanes")
  int laneCount;

  @Resource ManagedThreadFactory threads;
  @Inject RoomChannels channels;
  @Inject RealtimeMetrics metrics;
  @Inject Event<RoomEventArrived> arrived;
  @Inject Event<EphemeralEventArrived> ephemeralArrived;

  private RoomLanes lanes;

  @PostConstruct
  void start() {
    lanes = new RoomLanes(laneCount, LANE_CAPACITY, threads, "realtime-relay-lane", this::failed);
    metrics.relayDeliveryBacklogGauge(lanes::backlog);
  }

  @PreDestroy
  void stop() {
    lanes.stop();
  }

  void deliver(StoredEvent event) throws InterruptedException {
    queue(event.room(), new Durable(event));
  }

  void deliver(EphemeralEvent event) throws InterruptedException {
    queue(event.room(), new Ephemeral(event));
  }

  private void queue(RoomName room, Runnable delivery) throws InterruptedException {
    if (!lanes.submit(room, delivery)) {
      metrics.relayDeliveryFailed();
      LOG.log(Level.WARNING, "relayed {0} not delivered: the application is stopping", delivery);
    }
  }

  private void failed(Runnable delivery, RuntimeException e) {
    metrics.relayDeliveryFailed();
    LOG.log(
        Level.SEVERE,
        "delivering relayed "
            + delivery
            + " failed; a durable event not delivered is made up by catch-up",
        e);
  }

  /** One object per event: its description is made only if a log needs it. */
  private final class Durable implements Runnable {
    private final StoredEvent event;

    Durable(StoredEvent event) {
      this.event = event;
    }

    @Override
    public void run() {
      metrics.relayLag(System.currentTimeMillis() - event.publishedAtMillis());
      channels.deliver(event);
      arrived.fire(new RoomEventArrived(event.room(), event.name()));
    }

    @Override
    public String toString() {
      return event.room() + " seq=" + event.seq();
    }
  }

  private final class Ephemeral implements Runnable {
    private final EphemeralEvent event;

    Ephemeral(EphemeralEvent event) {
      this.event = event;
    }

    @Override
    public void run() {
      channels.deliver(event);
      ephemeralArrived.fire(new EphemeralEventArrived(event));
    }

    @Override
    public String toString() {
      return event.room() + " ephemeral " + event.name();
    }
  }
}

package com.pdprime.realtime.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.OptionalLong;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while this instance does not hear its own relay ({@link RoomRelay#unheardMillis()}): a
 * broker that takes sends is not enough, its clients would miss every ephemeral event until the
 * consumer is connected again.
 */
@Readiness
@ApplicationScoped
public class RelayReceiveHealthCheck implements HealthCheck {
  @Inject RoomRelay relay;

  @Override
  public HealthCheckResponse call() {
    OptionalLong overdue = relay.unheardMillis();
    if (overdue.isEmpty()) {
      return HealthCheckResponse.up(RelayReceiveMonitor.ALERT_TYPE);
    }
    return HealthCheckResponse.named(RelayReceiveMonitor.ALERT_TYPE)
        .down()
        .withData("echoUnheardMillis", overdue.getAsLong())
        .build();
  }
}

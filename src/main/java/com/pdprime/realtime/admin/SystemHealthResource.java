package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.monitoring.DatabaseProbe;
import com.pdprime.realtime.monitoring.MonitorWatchdog;
import com.pdprime.realtime.monitoring.MonitorWatchdogHealthCheck;
import com.pdprime.realtime.monitoring.Ticks;
import com.pdprime.realtime.relay.RoomRelay;
import com.pdprime.realtime.security.Permissions;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * {@code GET /api/v1/admin/system-health}: this instance's checks, each measured now — a database
 * round trip, a broker round trip, whether the instance hears its own relay, the freshness of every
 * monitor and stream, and the watchdog — with its latency or age and status, and the overall status
 * (UP only if every check is).
 */
@Path("admin/system-health")
@Produces(MediaType.APPLICATION_JSON)
public class SystemHealthResource {
  @Inject DatabaseProbe database;
  @Inject RoomRelay relay;
  @Inject Ticks ticks;
  @Inject MonitorWatchdog watchdog;

  @GET
  @RequiresPermission(Permissions.ANALYTICS_READ)
  public Response get() {
    DatabaseProbe.Result db = database.roundTrip();
    long brokerStarted = System.nanoTime();
    boolean brokerUp = relay.probe();
    long brokerMillis = (System.nanoTime() - brokerStarted) / 1_000_000;
    OptionalLong echoUnheard = relay.unheardMillis();
    JsonObjectBuilder relayReceive =
        JSON.createObjectBuilder().add("status", status(echoUnheard.isEmpty()));
    echoUnheard.ifPresent(millis -> relayReceive.add("echoUnheardMillis", millis));
    Instant now = Instant.now();
    JsonArrayBuilder streams = JSON.createArrayBuilder();
    boolean streamsFresh = true;
    for (Ticks.Tick tick : ticks.all()) {
      boolean fresh = !tick.stalled(now);
      streamsFresh &= fresh;
      streams.add(
          JSON.createObjectBuilder()
              .add("name", tick.name())
              .add("status", status(fresh))
              .add("periodMillis", tick.periodMillis())
              .add("lastTickMillisAgo", tick.age(now).toMillis()));
    }
    long watchdogAge = Duration.between(watchdog.lastTick(), now).toMillis();
    boolean watchdogUp =
        MonitorWatchdogHealthCheck.live(watchdog.lastTick(), watchdog.periodMillis(), now);
    JsonObjectBuilder databaseCheck =
        JSON.createObjectBuilder().add("status", status(db.up())).add("latencyMillis", db.millis());
    if (db.error() != null) {
      databaseCheck.add("error", db.error());
    }
    boolean up = db.up() && brokerUp && echoUnheard.isEmpty() && streamsFresh && watchdogUp;
    return Response.ok(
            JSON.createObjectBuilder()
                .add("status", status(up))
                .add("checkedAt", now.toString())
                .add(
                    "checks",
                    JSON.createObjectBuilder()
                        .add("database", databaseCheck)
                        .add(
                            "broker",
                            JSON.createObjectBuilder()
                                .add("status", status(brokerUp))
                                .add("latencyMillis", brokerMillis))
                        .add("relayReceive", relayReceive)
                        .add(
                            "streams",
                            JSON.createObjectBuilder()
                                .add("status", status(streamsFresh))
                                .add("tasks", streams))
                        .add(
                            "watchdog",
                            JSON.createObjectBuilder()
                                .add("status", status(watchdogUp))
                                .add("periodMillis", watchdog.periodMillis())
                                .add("lastTickMillisAgo", watchdogAge)))
                .build())
        .build();
  }

  private static String status(boolean up) {
    return up ? "UP" : "DOWN";
  }
}

package com.pdprime.realtime.instances;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One server instance and its heartbeat. */
@Entity
@Table(name = "realtime_instances")
public class RealtimeInstance {
  @Id
  @Column(name = "id", length = 100)
  private String id;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "last_heartbeat_at", nullable = false)
  private Instant lastHeartbeatAt;

  @Column(name = "stopped_at")
  private Instant stoppedAt;

  @Column(name = "stop_reason", length = 200)
  private String stopReason;

  protected RealtimeInstance() {}

  RealtimeInstance(String id, Instant now) {
    this.id = id;
    restart(now);
  }

  void restart(Instant now) {
    startedAt = now;
    lastHeartbeatAt = now;
    stoppedAt = null;
    stopReason = null;
  }
}

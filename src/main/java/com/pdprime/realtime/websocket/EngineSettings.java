package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The engine's limits and intervals from MicroProfile Config. Defaults and the reason for each are
 * in META-INF/microprofile-config.properties; nothing here has a hidden default.
 */
@ApplicationScoped
public class EngineSettings {
  @Inject
  @ConfigProperty(name = "realtime.handshake.allowed-origins")
  List<String> allowedOrigins;

  @Inject
  @ConfigProperty(name = "realtime.handshake.allow-missing-origin")
  boolean allowMissingOrigin;

  @Inject
  @ConfigProperty(name = "realtime.inbound.max-frame-bytes")
  int maxFrameBytes;

  @Inject
  @ConfigProperty(name = "realtime.connections.max-per-instance")
  int maxConnectionsPerInstance;

  @Inject
  @ConfigProperty(name = "realtime.connections.full-retry-after-seconds")
  int fullRetryAfterSeconds;

  @Inject
  @ConfigProperty(name = "realtime.handshake.max-in-progress")
  int maxHandshakesInProgress;

  @Inject
  @ConfigProperty(name = "realtime.handshake.busy-retry-after-seconds")
  int busyRetryAfterSeconds;

  @Inject
  @ConfigProperty(name = "realtime.subscribe.max-in-progress")
  int maxSubscribesInProgress;

  @Inject
  @ConfigProperty(name = "realtime.subscribe.busy-wait-ms")
  long subscribeBusyWaitMillis;

  @Inject
  @ConfigProperty(name = "realtime.commands.max-in-progress")
  int maxCommandsInProgress;

  @Inject
  @ConfigProperty(name = "realtime.commands.busy-wait-ms")
  long commandBusyWaitMillis;

  @Inject
  @ConfigProperty(name = "realtime.connections.max-per-subject")
  int maxConnectionsPerSubject;

  @Inject
  @ConfigProperty(name = "realtime.connections.max-per-address")
  int maxConnectionsPerAddress;

  @Inject
  @ConfigProperty(name = "realtime.inbound.rate-per-second")
  double ratePerSecond;

  @Inject
  @ConfigProperty(name = "realtime.inbound.rate-burst")
  int rateBurst;

  @Inject
  @ConfigProperty(name = "realtime.inbound.rate-limit-close-after")
  int rateLimitCloseAfter;

  @Inject
  @ConfigProperty(name = "realtime.subscriptions.max-per-connection")
  int maxSubscriptions;

  @Inject
  @ConfigProperty(name = "realtime.outbound.max-messages")
  int outboundMaxMessages;

  @Inject
  @ConfigProperty(name = "realtime.outbound.max-bytes")
  int outboundMaxBytes;

  @Inject
  @ConfigProperty(name = "realtime.outbound.max-batch-bytes")
  int outboundMaxBatchBytes;

  @Inject
  @ConfigProperty(name = "realtime.outbound.send-timeout-ms")
  long sendTimeoutMillis;

  @Inject
  @ConfigProperty(name = "realtime.heartbeat.interval-ms")
  long heartbeatIntervalMillis;

  @Inject
  @ConfigProperty(name = "realtime.heartbeat.timeout-ms")
  long heartbeatTimeoutMillis;

  @Inject
  @ConfigProperty(name = "realtime.recovery.max-events")
  int recoveryMaxEvents;

  @Inject
  @ConfigProperty(name = "realtime.recovery.max-age-seconds")
  long recoveryMaxAgeSeconds;

  @Inject
  @ConfigProperty(name = "realtime.relay.catch-up-interval-ms")
  long catchUpIntervalMillis;

  @Inject
  @ConfigProperty(name = "realtime.history.memory.max-events-per-room")
  int historyMemoryMaxEventsPerRoom;

  @Inject
  @ConfigProperty(name = "realtime.history.memory.max-bytes")
  long historyMemoryMaxBytes;

  @Inject
  @ConfigProperty(name = "realtime.history.memory.max-age-seconds")
  long historyMemoryMaxAgeSeconds;

  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  public boolean allowMissingOrigin() {
    return allowMissingOrigin;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public int maxConnectionsPerInstance() {
    return maxConnectionsPerInstance;
  }

  public int fullRetryAfterSeconds() {
    return fullRetryAfterSeconds;
  }

  public int maxHandshakesInProgress() {
    return maxHandshakesInProgress;
  }

  public int busyRetryAfterSeconds() {
    return busyRetryAfterSeconds;
  }

  public int maxSubscribesInProgress() {
    return maxSubscribesInProgress;
  }

  public long subscribeBusyWaitMillis() {
    return subscribeBusyWaitMillis;
  }

  public int maxCommandsInProgress() {
    return maxCommandsInProgress;
  }

  public long commandBusyWaitMillis() {
    return commandBusyWaitMillis;
  }

  public int maxConnectionsPerSubject() {
    return maxConnectionsPerSubject;
  }

  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }

  public int rateBurst() {
    return rateBurst;
  }

  public int rateLimitCloseAfter() {
    return rateLimitCloseAfter;
  }

  public int maxSubscriptions() {
    return maxSubscriptions;
  }

  public int outboundMaxMessages() {
    return outboundMaxMessages;
  }

  public int outboundMaxBytes() {
    return outboundMaxBytes;
  }

  public int outboundMaxBatchBytes() {
    return outboundMaxBatchBytes;
  }

  public long sendTimeoutMillis() {
    return sendTimeoutMillis;
  }

  public long heartbeatIntervalMillis() {
    return heartbeatIntervalMillis;
  }

  public long heartbeatTimeoutMillis() {
    return heartbeatTimeoutMillis;
  }

  public int recoveryMaxEvents() {
    return recoveryMaxEvents;
  }

  public long recoveryMaxAgeSeconds() {
    return recoveryMaxAgeSeconds;
  }

  public long catchUpIntervalMillis() {
    return catchUpIntervalMillis;
  }

  public int historyMemoryMaxEventsPerRoom() {
    return historyMemoryMaxEventsPerRoom;
  }

  public long historyMemoryMaxBytes() {
    return historyMemoryMaxBytes;
  }

  public long historyMemoryMaxAgeSeconds() {
    return historyMemoryMaxAgeSeconds;
  }
}

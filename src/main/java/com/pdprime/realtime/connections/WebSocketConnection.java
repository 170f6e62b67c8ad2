package com.pdprime.realtime.connections;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The durable record of one WebSocket connection, from open to close. */
@Entity
@Table(name = "websocket_connections")
public class WebSocketConnection {
  static final int USER_AGENT_LENGTH = 512;
  static final int CLOSE_REASON_LENGTH = 512;

  @Id
  @Column(name = "id", length = 36)
  private String id;

  @Column(name = "instance_id", nullable = false, length = 100)
  private String instanceId;

  @Column(name = "subject", nullable = false, length = 200)
  private String subject;

  @Column(name = "is_admin", nullable = false)
  private boolean admin;

  @Column(name = "ip_address", length = 64)
  private String ipAddress;

  @Column(name = "user_agent", length = USER_AGENT_LENGTH)
  private String userAgent;

  @Column(name = "state", nullable = false, length = 16)
  private String state;

  @Column(name = "connected_at", nullable = false)
  private Instant connectedAt;

  @Column(name = "last_activity_at", nullable = false)
  private Instant lastActivityAt;

  @Column(name = "disconnected_at")
  private Instant disconnectedAt;

  @Column(name = "close_code")
  private Integer closeCode;

  @Column(name = "close_reason", length = CLOSE_REASON_LENGTH)
  private String closeReason;

  protected WebSocketConnection() {}

  public String id() {
    return id;
  }

  public String instanceId() {
    return instanceId;
  }

  /** Whether the connection came through the operators' socket {@code /ws/admin}. */
  public boolean admin() {
    return admin;
  }

  public String subject() {
    return subject;
  }

  /** The client's address as the handshake saw it (through trusted proxies only). */
  public String ipAddress() {
    return ipAddress;
  }

  public String userAgent() {
    return userAgent;
  }

  public String state() {
    return state;
  }

  public Instant connectedAt() {
    return connectedAt;
  }

  public Instant lastActivityAt() {
    return lastActivityAt;
  }

  public Instant disconnectedAt() {
    return disconnectedAt;
  }

  public Integer closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}

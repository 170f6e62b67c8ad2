package com.pdprime.realtime.websocket;

/** The life of a connection; every transition is recorded in {@code websocket_connections}. */
public enum ConnectionState {
  CONNECTING,
  OPEN,
  CLOSING,
  CLOSED
}

package com.pdprime.realtime.connections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one journal flush writes: the rows the entries give in the order they were recorded, with as
 * few statements as that takes. Activity of a connection opened in the same batch goes into its new
 * row; activity of a connection closed in the same batch is not written, the close sets the last
 * activity itself; of several activities of one connection the latest is written. In a reconnect
 * storm nearly every new connection subscribes within a second of its handshake, and the updates
 * for that were 4.5 % of the server's CPU samples (bench/RESULTS.md, "Fifth stop of 2026-12-05").
 *
 * @param opens new rows, each with its last activity
 * @param activity last activity of connections whose rows an earlier batch wrote
 * @param closes closes, in the order they happened
 */
record JournalBatch(
    List<Open> opens, Map<String, Instant> activity, List<ConnectionClosed> closes) {
  /** A new row: the connection and its last activity, its open or a later one. */
  record Open(ConnectionOpened opened, Instant lastActivity) {}

  static JournalBatch of(List<JournalEntry> entries) {
    List<ConnectionOpened> opened = new ArrayList<>();
    Map<String, Instant> activity = new LinkedHashMap<>();
    List<ConnectionClosed> closes = new ArrayList<>();
    for (JournalEntry entry : entries) {
      if (entry instanceof ConnectionOpened open) {
        opened.add(open);
      } else if (entry instanceof ConnectionClosed closed) {
        closes.add(closed);
      } else if (entry instanceof ConnectionsActive active) {
        active.connectionIds().forEach(id -> activity.put(id, active.at()));
      }
    }
    closes.forEach(closed -> activity.remove(closed.connectionId()));
    List<Open> opens = new ArrayList<>();
    for (ConnectionOpened open : opened) {
      Instant active = activity.remove(open.connectionId());
      opens.add(new Open(open, active == null ? open.at() : active));
    }
    return new JournalBatch(opens, activity, closes);
  }
}

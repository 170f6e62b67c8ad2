package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes the OPEN, CLOSING and CLOSED lines of every connection from one thread, the engine's
 * scheduler, every {@link #DRAIN_INTERVAL_MILLIS}. Written by the thread that opened or closed the
 * socket, the lines queued for the console handler's lock, which formats and writes under it: in a
 * reconnect storm the HTTP workers closing 10,000 sockets spent 1,400 s blocked on it in 45 s
 * (bench/RESULTS.md), and the handshakes waiting for those workers missed the header deadline.
 *
 * <p>Each record is made when the transition happens, so its time is the transition's, and the
 * lines of one connection keep their order. Past {@link #MAX_PENDING} lines waiting, and once the
 * engine stops, the caller writes its line itself: the queue never holds more than that, and no
 * line is left unwritten at shutdown. The bound holds a storm of 10,000 reconnects (an OPEN and a
 * CLOSED line each, within a second or two) twice over: Payara's console handler writes about 6,000
 * lines a second, and with a bound of 10,000 the storm's closes overflowed it and the HTTP workers
 * were blocked on the handler's lock again (497 s in three storms; bench/RESULTS.md, "Third stop of
 * 2026-12-04"). A waiting record is about 300 bytes: at most about 15 MB.
 */
@ApplicationScoped
public class ConnectionLog {
  static final long DRAIN_INTERVAL_MILLIS = 100;
  static final int MAX_PENDING = 50_000;

  /** The lines keep the logger operators filter on. */
  private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class.getName());

  private final ConcurrentLinkedQueue<LogRecord> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private volatile boolean direct;

  void info(String method, String message) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    LogRecord record = new LogRecord(Level.INFO, message);
    record.setLoggerName(LOG.getName());
    // Set, so that the handler does not infer them from the stack of the thread that writes.
    record.setSourceClassName(ConnectionRegistry.class.getName());
    record.setSourceMethodName(method);
    if (direct || size.get() >= MAX_PENDING) {
      LOG.log(record);
      return;
    }
    size.incrementAndGet();
    pending.add(record);
  }

  void drain() {
    for (LogRecord record; (record = pending.poll()) != null; ) {
      size.decrementAndGet();
      LOG.log(record);
    }
  }

  /** From now on every line is written by its caller; what waits is written now. */
  void stop() {
    direct = true;
    drain();
  }
}

package com.pdprime.realtime.persistence;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDBC connections the persistence unit holds and waits for, counted where it takes them from
 * the container's pool ({@link CountedDataSource}). One count per application: EclipseLink creates
 * the session customizer that installs the counting itself, outside CDI, so the counts live here
 * and {@code monitoring} reads them.
 */
public final class DatabaseConnections {
  private static final AtomicLong IN_USE = new AtomicLong();
  private static final AtomicLong WAITING = new AtomicLong();
  private static volatile boolean counted;

  private DatabaseConnections() {}

  /**
   * Whether the persistence unit's connections are counted at all (else the counts mean nothing).
   */
  public static boolean counted() {
    return counted;
  }

  static void counted(boolean installed) {
    counted = installed;
  }

  /** Connections taken from the pool and not yet given back. */
  public static long inUse() {
    return IN_USE.get();
  }

  /** Threads inside the pool's {@code getConnection}: at the pool's limit, they wait there. */
  public static long waiting() {
    return WAITING.get();
  }

  static AtomicLong inUseCount() {
    return IN_USE;
  }

  static AtomicLong waitingCount() {
    return WAITING;
  }
}

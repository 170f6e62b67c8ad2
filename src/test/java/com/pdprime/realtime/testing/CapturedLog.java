package com.pdprime.realtime.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one class's logger writes while a test runs, kept instead of printed; {@link #close()} puts
 * the logger back as it was.
 */
public final class CapturedLog extends Handler implements AutoCloseable {
  private final Logger logger;
  private final boolean parentHandlers;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private CapturedLog(Logger logger) {
    this.logger = logger;
    this.parentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
  }

  /** Starts capturing what the logger named after {@code loggingClass} writes. */
  public static CapturedLog of(Class<?> loggingClass) {
    return new CapturedLog(Logger.getLogger(loggingClass.getName()));
  }

  /** Every record written so far, oldest first. */
  public List<LogRecord> records() {
    return records;
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(parentHandlers);
  }
}

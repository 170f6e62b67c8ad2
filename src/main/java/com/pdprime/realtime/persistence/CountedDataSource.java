package com.pdprime.realtime.persistence;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The container's data source, counting what passes through it: a thread is waiting while it is
 * inside {@code getConnection}, and a connection is in use from the moment it is handed out until
 * its first {@code close()}.
 */
final class CountedDataSource implements DataSource {
  private final DataSource pool;
  private final AtomicLong inUse;
  private final AtomicLong waiting;

  CountedDataSource(DataSource pool, AtomicLong inUse, AtomicLong waiting) {
    this.pool = pool;
    this.inUse = inUse;
    this.waiting = waiting;
  }

  @Override
  public Connection getConnection() throws SQLException {
    waiting.incrementAndGet();
    try {
      return counted(pool.getConnection());
    } finally {
      waiting.decrementAndGet();
    }
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    waiting.incrementAndGet();
    try {
      return counted(pool.getConnection(user, password));
    } finally {
      waiting.decrementAndGet();
    }
  }

  private Connection counted(Connection connection) {
    inUse.incrementAndGet();
    AtomicBoolean returned = new AtomicBoolean();
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              // Identity of the handle, as callers that keep connections in collections expect.
              if (method.getName().equals("equals") && method.getParameterCount() == 1) {
                return proxy == args[0];
              }
              if (method.getName().equals("hashCode") && method.getParameterCount() == 0) {
                return System.identityHashCode(proxy);
              }
              if (method.getName().equals("close") && returned.compareAndSet(false, true)) {
                inUse.decrementAndGet();
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || pool.isWrapperFor(type);
  }
}

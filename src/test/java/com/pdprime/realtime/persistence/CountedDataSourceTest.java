package com.pdprime.realtime.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the console shows as the database connections in use and waiting. */
class CountedDataSourceTest {
  private final AtomicLong inUse = new AtomicLong();
  private final AtomicLong waiting = new AtomicLong();
  private final CountDownLatch poolAnswers = new CountDownLatch(1);
  private final CountDownLatch asked = new CountDownLatch(1);

  @Test
  void aConnectionIsInUseFromCheckoutToItsFirstClose() throws Exception {
    poolAnswers.countDown();
    DataSource counted = new CountedDataSource(pool(false), inUse, waiting);

    Connection first = counted.getConnection();
    Connection second = counted.getConnection();
    assertEquals(2, inUse.get());

    first.close();
    first.close();
    assertEquals(1, inUse.get());
    second.close();
    assertEquals(0, inUse.get());
    assertEquals(0, waiting.get());
  }

  @Test
  void aThreadWaitsWhileThePoolHasNoConnectionForIt() throws Exception {
    DataSource counted = new CountedDataSource(pool(false), inUse, waiting);

    CompletableFuture<Connection> checkout =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return counted.getConnection();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(asked.await(5, TimeUnit.SECONDS));
    assertEquals(1, waiting.get());
    assertEquals(0, inUse.get());

    poolAnswers.countDown();
    checkout.get(5, TimeUnit.SECONDS).close();
    assertEquals(0, waiting.get());
    assertEquals(0, inUse.get());
  }

  @Test
  void aRefusedCheckoutLeavesNothingCounted() {
    poolAnswers.countDown();
    DataSource counted = new CountedDataSource(pool(true), inUse, waiting);

    assertThrows(SQLException.class, counted::getConnection);
    assertEquals(0, waiting.get());
    assertEquals(0, inUse.get());
  }

  @Test
  void aHandleEqualsOnlyItself() throws Exception {
    poolAnswers.countDown();
    DataSource counted = new CountedDataSource(pool(false), inUse, waiting);
    Connection one = counted.getConnection();
    Connection other = counted.getConnection();

    assertEquals(one, one);
    assertNotEquals(one, other);
    assertEquals(System.identityHashCode(one), one.hashCode());
  }

  /**
   * A pool that answers once {@link #poolAnswers} opens, or refuses every checkout; its connections
   * do nothing.
   */
  private DataSource pool(boolean refuses) {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("getConnection")) {
                throw new UnsupportedOperationException(method.getName());
              }
              asked.countDown();
              assertTrue(poolAnswers.await(5, TimeUnit.SECONDS));
              if (refuses) {
                throw new SQLException("pool exhausted");
              }
              return connection();
            });
  }

  private Connection connection() {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> null);
  }
}

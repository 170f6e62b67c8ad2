package com.pdprime.realtime.testing;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.ThreadFactory;

/**
 * The container's managed thread factory, played by a plain one, for beans a test builds itself.
 */
public final class ManagedThreads {
  private ManagedThreads() {}

  public static ManagedThreadFactory playedBy(ThreadFactory plain) {
    return (ManagedThreadFactory)
        Proxy.newProxyInstance(
            ManagedThreads.class.getClassLoader(),
            new Class<?>[] {ManagedThreadFactory.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(plain, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}

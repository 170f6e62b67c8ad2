package com.pdprime.realtime.websocket;

import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;

/**
 * Where the socket writers' threads come from: the container's own when it offers a factory for
 * them (on Payara, pdprime-realtime-container.jar's {@code container/PooledBufferThreads}, found
 * through {@link ServiceLoader}), otherwise the application's managed thread factory (WildFly).
 *
 * <p>Why the container's: Grizzly's HTTP output takes each write's 8 KiB buffer from the writing
 * thread's buffer pool, and only Grizzly's own threads have one. From a managed thread every frame
 * sent allocated a new 8 KiB array, 30 % of all the server allocated at 1,000 publishes/s, and the
 * young collections that paid for it set the latency's tail (bench/RESULTS.md, "Fourth stop of
 * 2026-12-02"). A container thread is not a managed one, so each writer runs under the
 * application's context, captured by the context service when the writers start.
 */
final class WriterThreads {
  private static final Logger LOG = Logger.getLogger(WriterThreads.class.getName());

  /** Only our own container jar's factory is taken; a library's would be no reason to switch. */
  private static final String CONTAINER_PACKAGE = "com.pdprime.realtime.container";

  private WriterThreads() {}

  static ThreadFactory of(ManagedThreadFactory managed, ContextService contexts) {
    List<ThreadFactory> offered =
        ServiceLoader.load(ThreadFactory.class, WriterThreads.class.getClassLoader()).stream()
            .filter(provider -> provider.type().getPackageName().equals(CONTAINER_PACKAGE))
            .map(ServiceLoader.Provider::get)
            .toList();
    if (offered.size() > 1) {
      throw new IllegalStateException(
          "more than one container thread factory is installed: " + offered);
    }
    if (offered.isEmpty()) {
      LOG.info("socket writers run on managed threads: the container offers no thread factory");
      return managed;
    }
    ThreadFactory container = offered.get(0);
    LOG.info("socket writers run on the container's threads: " + container.getClass().getName());
    return task -> container.newThread(contexts.contextualRunnable(task));
  }
}

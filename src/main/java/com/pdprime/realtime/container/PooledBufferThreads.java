package com.pdprime.realtime.container;

import java.util.concurrent.ThreadFactory;
import org.glassfish.grizzly.attributes.AttributeBuilder;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.memory.ThreadLocalPoolProvider;
import org.glassfish.grizzly.threadpool.DefaultWorkerThread;

/**
 * Threads that Grizzly treats as its own: each is a Grizzly worker thread with a buffer pool of its
 * own. Grizzly's HTTP output takes a write's buffer (8 KiB, the response's buffer size) from the
 * writing thread's pool and gives it back when the write is done; a thread without a pool gets a
 * new array for every write instead. The application's socket writers write from threads it
 * creates, so every frame cost 8 KiB of garbage: 30 % of everything the server allocated at 1,000
 * publishes/s (bench/RESULTS.md, "Fourth stop of 2026-12-02"). The application finds this factory
 * with {@link java.util.ServiceLoader} (META-INF/services) when this jar is installed.
 */
public class PooledBufferThreads implements ThreadFactory {
  private final ThreadLocalPoolProvider pools;

  public PooledBufferThreads() {
    if (!(MemoryManager.DEFAULT_MEMORY_MANAGER instanceof ThreadLocalPoolProvider provider)) {
      throw new IllegalStateException(
          "Grizzly's default memory manager "
              + MemoryManager.DEFAULT_MEMORY_MANAGER.getClass().getName()
              + " keeps no per-thread pools");
    }
    this.pools = provider;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread =
        new DefaultWorkerThread(
            AttributeBuilder.DEFAULT_ATTRIBUTE_BUILDER,
            "pooled-buffer-thread",
            pools.createThreadLocalPool(),
            task);
    thread.setDaemon(true);
    return thread;
  }
}

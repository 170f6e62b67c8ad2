package com.pdprime.realtime.container;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.Test;

class PooledBufferThreadsTest {
  private static final int RESPONSE_BUFFER = 8192;

  @Test
  void aWriteBufferGivenBackIsReusedByTheNextWriteOfTheSameThread() throws Exception {
    byte[][] arrays = twoBuffersInTurn(new PooledBufferThreads());
    assertSame(arrays[0], arrays[1]);
  }

  @Test
  void anyOtherThreadGetsANewArrayForEveryWrite() throws Exception {
    byte[][] arrays = twoBuffersInTurn(Thread::new);
    assertNotSame(arrays[0], arrays[1]);
  }

  @Test
  void theApplicationFindsTheFactoryAndItsThreadsDoNotHoldTheServerUp() {
    ThreadFactory factory =
        ServiceLoader.load(ThreadFactory.class).stream()
            .filter(provider -> provider.type() == PooledBufferThreads.class)
            .findFirst()
            .orElseThrow()
            .get();
    assertTrue(factory.newThread(() -> {}).isDaemon());
  }

  /** The backing arrays of two write buffers, the first given back before the second is taken. */
  private static byte[][] twoBuffersInTurn(ThreadFactory threads) throws Exception {
    AtomicReference<byte[][]> arrays = new AtomicReference<>();
    Thread thread =
        threads.newThread(
            () -> {
              Buffer first = MemoryManager.DEFAULT_MEMORY_MANAGER.allocate(RESPONSE_BUFFER);
              byte[] firstArray = first.array();
              first.tryDispose();
              Buffer second = MemoryManager.DEFAULT_MEMORY_MANAGER.allocate(RESPONSE_BUFFER);
              arrays.set(new byte[][] {firstArray, second.array()});
            });
    thread.start();
    thread.join();
    return arrays.get();
  }
}

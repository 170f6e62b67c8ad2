package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.OutboundFrame;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The threads that write to sockets: one per core, each draining the outboxes handed to it in the
 * order they became ready. An outbox always goes to the same writer. Fanning an event out only
 * queues frames, so it costs little per recipient; the writers then send, on every core, whatever
 * each connection has queued by its turn, which under load is several events in one frame.
 */
@ApplicationScoped
public class OutboxWriters {
  private static final Logger LOG = Logger.getLogger(OutboxWriters.class.getName());

  @Resource ManagedThreadFactory managedThreads;
  @Resource ContextService contexts;

  private Lane[] lanes;
  private final AtomicInteger next = new AtomicInteger();

  @PostConstruct
  void start() {
    ThreadFactory threads = WriterThreads.of(managedThreads, contexts);
    lanes = new Lane[Runtime.getRuntime().availableProcessors()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane();
      Thread thread = threads.newThread(lanes[i]);
      thread.setName("realtime-writer-" + i);
      lanes[i].thread = thread;
      thread.start();
    }
  }

  @PreDestroy
  void stop() {
    for (Lane lane : lanes) {
      lane.thread.interrupt();
    }
  }

  /** The writer of a new connection's outbox; connections are spread over the lanes in turn. */
  Outbox.Writer assign() {
    return lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
  }

  int backlog() {
    int backlog = 0;
    for (Lane lane : lanes) {
      backlog += lane.ready.size();
    }
    return backlog;
  }

  /** An outbox's turn, with the frame handed over with it (or null). */
  private record Turn(Outbox outbox, OutboundFrame handed) {}

  private static final class Lane implements Outbox.Writer, Runnable {
    private final LinkedBlockingQueue<Turn> ready = new LinkedBlockingQueue<>();
    private Thread thread;

    @Override
    public void schedule(Outbox outbox, OutboundFrame handed) {
      ready.add(new Turn(outbox, handed));
    }

    @Override
    public void run() {
      while (!Thread.currentThread().isInterrupted()) {
        Turn turn;
        try {
          turn = ready.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        try {
          turn.outbox().drain(turn.handed());
        } catch (RuntimeException e) {
          // One connection's failure must not stop the writer of every other connection.
          LOG.log(Level.SEVERE, "writer " + Thread.currentThread().getName() + " drain failed", e);
        }
      }
    }
  }
}

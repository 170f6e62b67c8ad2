package com.pdprime.realtime.websocket;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives each Tyrus session a plain timer for its idle timeout instead of Payara's managed scheduled
 * executor.
 *
 * <p>Why: Tyrus restarts a session's idle timer on every frame sent or received, by scheduling a
 * task on the container's scheduled executor, even when the idle timeout is off (it then schedules
 * a task that does nothing, to run at once). On Payara that executor is the managed one, which
 * captures and restores the thread's context for every task, including a {@code ServiceLoader} scan
 * of every jar the application can see. The profile of one event to 10,000 subscribers had three
 * quarters of the server's CPU there (bench/RESULTS.md). The plain {@link ConnectionTimer} does the
 * same job for a few hundred nanoseconds, and with the idle timeout off the task runs in place
 * ({@link IdleTimerExecutor}).
 *
 * <p>The container's executor is handed over too, at the first socket: every new {@code
 * TyrusSession} schedules its first idle timer in its constructor, before {@link #adopt} can hand
 * the session over, and on the managed executor that one task was an eighth of the server's CPU in
 * a burst of handshakes (bench/RESULTS.md). Tyrus asks its container for that executor only for
 * sessions' idle timers.
 *
 * <p>The hand-overs reach into private fields of Tyrus ({@code TyrusSession.service}, {@code
 * BaseContainer.managedScheduledExecutorService}), so each is checked once: on another container
 * (WildFly's Undertow) or another Tyrus layout it is not done, and the log says so; nothing but
 * speed depends on it.
 */
@ApplicationScoped
public class TyrusIdleTimer {
  private static final Logger LOG = Logger.getLogger(TyrusIdleTimer.class.getName());
  private static final String TYRUS_SESSION = "org.glassfish.tyrus.core.TyrusSession";
  private static final String TYRUS_CONTAINER = "org.glassfish.tyrus.core.BaseContainer";

  @Inject ConnectionTimer timer;

  private ScheduledExecutorService idleTimers;

  private volatile Field serviceField;
  private volatile boolean checked;
  private final AtomicBoolean containerAdopted = new AtomicBoolean();

  @PostConstruct
  void start() {
    idleTimers = new IdleTimerExecutor(timer.executor());
  }

  /** Hands the session's idle timer to the plain timer, where the container allows it. */
  void adopt(Session session) {
    if (containerAdopted.compareAndSet(false, true)) {
      adoptContainer(session.getContainer());
    }
    Field field = serviceField(session);
    if (field == null) {
      return;
    }
    try {
      field.set(session, idleTimers);
    } catch (IllegalAccessException | RuntimeException e) {
      LOG.log(Level.WARNING, "session " + session.getId() + " keeps the container's timer", e);
    }
  }

  /** From now on the container gives every new session the plain timer from its constructor on. */
  private void adoptContainer(WebSocketContainer container) {
    Class<?> base = container.getClass();
    while (base != null && !base.getName().equals(TYRUS_CONTAINER)) {
      base = base.getSuperclass();
    }
    if (base == null) {
      LOG.info(
          "the WebSocket container is "
              + container.getClass().getName()
              + ", not Tyrus's: new sessions start with the container's timer");
      return;
    }
    try {
      Field field = base.getDeclaredField("managedScheduledExecutorService");
      if (field.getType() != ScheduledExecutorService.class) {
        LOG.warning(
            "BaseContainer.managedScheduledExecutorService is a "
                + field.getType().getName()
                + ": this Tyrus is not the one the hand-over was written for; every new session"
                + " pays for a managed task");
        return;
      }
      field.setAccessible(true);
      field.set(container, idleTimers);
      LOG.info("new Tyrus sessions start with the plain timer, not the managed scheduled executor");
    } catch (NoSuchFieldException | IllegalAccessException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "new Tyrus sessions start with the managed scheduled executor; every new session pays"
              + " for a managed task",
          e);
    }
  }

  private Field serviceField(Session session) {
    if (checked) {
      return serviceField;
    }
    synchronized (this) {
      if (!checked) {
        serviceField = find(session.getClass());
        checked = true;
      }
    }
    return serviceField;
  }

  private static Field find(Class<?> sessionClass) {
    if (!sessionClass.getName().equals(TYRUS_SESSION)) {
      LOG.info(
          "WebSocket sessions are "
              + sessionClass.getName()
              + ", not Tyrus: the container's own idle timer is used");
      return null;
    }
    try {
      Field field = sessionClass.getDeclaredField("service");
      if (field.getType() != ScheduledExecutorService.class) {
        LOG.warning(
            "TyrusSession.service is a "
                + field.getType().getName()
                + ": this Tyrus is not the one the idle-timer hand-over was written for; every"
                + " send pays for a managed task");
        return null;
      }
      field.setAccessible(true);
      LOG.info("Tyrus idle timers run on a plain timer, not the managed scheduled executor");
      return field;
    } catch (NoSuchFieldException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Tyrus idle timers stay on the managed scheduled executor; every send pays for a managed"
              + " task",
          e);
      return null;
    }
  }
}

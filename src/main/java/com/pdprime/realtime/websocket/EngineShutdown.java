package com.pdprime.realtime.websocket;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Starts the engine's orderly stop when the web application stops: sockets are closed with 1001
 * before the container stops the message-driven beans and the broker.
 *
 * <p>A listener rather than the singleton's {@code @PreDestroy}: Payara Micro stops a WAR on
 * SIGTERM without destroying its EJB singletons (payara/Payara#4573), while every container calls
 * {@code contextDestroyed} while the application's resources still work.
 */
@WebListener
public class EngineShutdown implements ServletContextListener {
  @Inject EngineLifecycle engine;

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    engine.stop();
  }
}

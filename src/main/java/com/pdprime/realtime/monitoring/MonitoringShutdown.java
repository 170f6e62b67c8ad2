package com.pdprime.realtime.monitoring;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Stops the monitors and their watchdog when the application stops. Payara Micro does not call a
 * singleton's {@code @PreDestroy} on SIGTERM (see websocket/EngineShutdown), and a monitor that
 * keeps running while the broker and the application's resources go away raises alerts it can no
 * longer write.
 */
@WebListener
public class MonitoringShutdown implements ServletContextListener {
  @Inject MonitorWatchdog watchdog;
  @Inject Monitors monitors;

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    watchdog.stop();
    monitors.stop();
  }
}

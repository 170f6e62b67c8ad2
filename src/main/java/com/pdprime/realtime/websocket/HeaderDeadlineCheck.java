package com.pdprime.realtime.websocket;

import com.pdprime.realtime.container.HeaderDeadlineFilter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start the application on a listener without the request header deadline (issue 12,
 * slowloris). The deadline lives in the HTTP listener ({@code container/HeaderDeadlineFilter}, from
 * pdprime-realtime-container.jar, installed by preboot.asadmin); a launch that misses either part
 * boots with only a WARNING in the container's log, and then serves without a deadline or not at
 * all. The filter reports itself in a system property, the one thing both sides can see.
 */
@ApplicationScoped
public class HeaderDeadlineCheck {
  private static final Logger LOG = Logger.getLogger(HeaderDeadlineCheck.class.getName());

  @Inject
  @ConfigProperty(name = "realtime.http.header-deadline-required")
  boolean required;

  void checkAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    // Observing the start instantiates the bean: @PostConstruct runs the check.
  }

  @PostConstruct
  void check() {
    // A compile-time constant: reading it loads nothing from the container jar.
    String installed = System.getProperty(HeaderDeadlineFilter.INSTALLED_PROPERTY);
    if (installed != null) {
      LOG.info(
          "the HTTP listener answers 408 to headers not complete "
              + installed
              + " ms after accept");
      return;
    }
    if (required) {
      throw new IllegalStateException(
          "the HTTP listener has no request header deadline: start Payara Micro with --addLibs"
              + " target/server/pdprime-realtime-container.jar and --prebootcommandfile"
              + " server-config/payara/preboot.asadmin (docs/operations.md §5.5), or set"
              + " realtime.http.header-deadline-required=false where a proxy bounds header time");
    }
    LOG.warning(
        "the HTTP listener has no request header deadline (realtime.http.header-deadline-required"
            + "=false): a proxy in front must bound how long a request's headers may take");
  }
}

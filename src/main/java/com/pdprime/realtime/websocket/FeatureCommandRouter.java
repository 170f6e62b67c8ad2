package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.Command;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Finds the feature that answers a command. Built once at start from every {@link FeatureCommands}
 * bean; two features claiming one command type stop the start rather than one silently winning.
 */
@ApplicationScoped
public class FeatureCommandRouter {
  private static final Logger LOG = Logger.getLogger(FeatureCommandRouter.class.getName());

  @Inject @Any Instance<FeatureCommands> features;

  private final Map<Class<? extends Command>, FeatureCommands> byType = new HashMap<>();

  void routeAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    LOG.info(
        "feature commands: "
            + byType.keySet().stream().map(Class::getSimpleName).sorted().toList());
  }

  @PostConstruct
  void discover() {
    for (FeatureCommands feature : features) {
      for (Class<? extends Command> type : feature.commandTypes()) {
        FeatureCommands previous = byType.putIfAbsent(type, feature);
        if (previous != null) {
          throw new IllegalStateException(
              "command "
                  + type.getSimpleName()
                  + " is claimed by two features: "
                  + previous.getClass().getName()
                  + " and "
                  + feature.getClass().getName());
        }
      }
    }
  }

  Optional<FeatureCommands> handlerOf(Command command) {
    return Optional.ofNullable(byType.get(command.getClass()));
  }
}

package com.pdprime.realtime.connections;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This server instance's name, from {@code realtime.instance.id}. It must be stable across restarts
 * of the same instance (so a restart can close out its own ghost rows) and unique in the cluster.
 */
@ApplicationScoped
public class InstanceIdentity {
  @Inject
  @ConfigProperty(name = "realtime.instance.id")
  String id;

  public String id() {
    return id;
  }
}

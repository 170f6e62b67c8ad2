package com.pdprime.realtime.it;

import java.util.List;
import java.util.logging.Logger;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.core.api.Injector;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Keeps the deployed application running from one test class to the next, as a production server
 * runs for many users: every class deploys the same built WAR, and Payara Micro's managed container
 * would otherwise start a new Payara Micro for each class (about 20 s each, most of the suite's
 * time), WildFly's would deploy it anew. The tests therefore share one application, and each must
 * hold whatever state earlier classes left behind (their own rooms, users and counts read as
 * differences).
 *
 * <p>At most one application runs at a time: a class that needs a differently configured server
 * (another container qualifier in {@code arquillian.xml}) stops the running one before its own
 * starts. The last one stops when the suite ends.
 */
public final class SharedServer implements DeployableContainer<ContainerConfiguration> {
  /** Registers the sharing wrapper in place of the server's managed container adapter. */
  public static final class Extension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
      builder.override(deployableContainer(), adapter(), SharedServer.class);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<DeployableContainer<?>> deployableContainer() {
      return (Class) DeployableContainer.class;
    }
  }

  private static final Logger LOG = Logger.getLogger(SharedServer.class.getName());

  /** The managed adapters of Payara Micro and of WildFly; the build's profile provides one. */
  private static final List<String> ADAPTERS =
      List.of(
          "fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer",
          "org.jboss.as.arquillian.container.managed.ManagedDeployableContainer");

  private static SharedServer running;

  /** WildFly's adapter takes Arquillian's injections; Arquillian gives them to this wrapper. */
  @Inject private Instance<Injector> injector;

  private final DeployableContainer<ContainerConfiguration> server;
  private Archive<?> deployed;
  private ProtocolMetaData deployment;

  @SuppressWarnings("unchecked")
  public SharedServer() {
    try {
      server =
          (DeployableContainer<ContainerConfiguration>)
              adapter().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create the server's adapter", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends DeployableContainer<?>> adapter() {
    for (String name : ADAPTERS) {
      try {
        return (Class<? extends DeployableContainer<?>>)
            Class.forName(name, false, SharedServer.class.getClassLoader());
      } catch (ClassNotFoundException absent) {
        LOG.fine(() -> name + " is not on the test class path");
      }
    }
    throw new IllegalStateException("none of the container adapters " + ADAPTERS + " is present");
  }

  @Override
  public Class<ContainerConfiguration> getConfigurationClass() {
    return server.getConfigurationClass();
  }

  @Override
  public void setup(ContainerConfiguration configuration) {
    injector.get().inject(server);
    server.setup(configuration);
  }

  @Override
  public void start() throws LifecycleException {
    server.start();
  }

  @Override
  public ProtocolDescription getDefaultProtocol() {
    return server.getDefaultProtocol();
  }

  @Override
  public synchronized ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
    if (isDeployed(archive)) {
      LOG.info(() -> "reusing the running deployment of " + archive.getName());
      return deployment;
    }
    if (running != null) {
      running.release();
    }
    deployment = server.deploy(archive);
    deployed = archive;
    running = this;
    return deployment;
  }

  /** Leaves the deployed archive running for the next class; {@link #stop} ends it. */
  @Override
  public synchronized void undeploy(Archive<?> archive) throws DeploymentException {
    if (!isDeployed(archive)) {
      server.undeploy(archive);
    }
  }

  @Override
  public synchronized void stop() throws LifecycleException {
    try {
      release();
    } catch (DeploymentException e) {
      throw new LifecycleException("cannot stop the server", e);
    }
    server.stop();
  }

  /** The same WAR: every class imports the built file anew, so equal names and entries. */
  private boolean isDeployed(Archive<?> archive) {
    return deployed != null
        && archive.getName().equals(deployed.getName())
        && archive.getContent().keySet().equals(deployed.getContent().keySet());
  }

  private void release() throws DeploymentException {
    if (deployed == null) {
      return;
    }
    LOG.info(() -> "undeploying " + deployed.getName());
    server.undeploy(deployed);
    deployed = null;
    deployment = null;
    if (running == this) {
      running = null;
    }
  }
}

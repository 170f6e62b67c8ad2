package com.pdprime.realtime.it;

import java.util.logging.Logger;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Keeps the deployed server running from one test class to the next, as a production server runs
 * for many users: every class deploys the same built WAR, and Payara Micro's managed container
 * would otherwise start a new Payara Micro for each class (about 20 s each, most of the suite's
 * time). The tests therefore share one application, and each must hold whatever state earlier
 * classes left behind (their own rooms, users and counts read as differences).
 *
 * <p>At most one server runs at a time: a class that needs a differently configured server (another
 * container qualifier in {@code arquillian.xml}) stops the running one before its own starts. The
 * last server stops when the suite ends.
 */
public final class SharedServer implements DeployableContainer<ContainerConfiguration> {
  /** Registers the sharing wrapper in place of Payara Micro's managed container adapter. */
  public static final class Extension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
      Class<? extends DeployableContainer<?>> payara = payaraAdapter();
      if (payara != null) {
        builder.override(deployableContainer(), payara, SharedServer.class);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<DeployableContainer<?>> deployableContainer() {
      return (Class) DeployableContainer.class;
    }
  }

  private static final Logger LOG = Logger.getLogger(SharedServer.class.getName());
  private static final String PAYARA_ADAPTER =
      "fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer";
  private static SharedServer running;

  private final DeployableContainer<ContainerConfiguration> server;
  private Archive<?> deployed;
  private ProtocolMetaData deployment;

  @SuppressWarnings("unchecked")
  public SharedServer() {
    try {
      server =
          (DeployableContainer<ContainerConfiguration>)
              payaraAdapter().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + PAYARA_ADAPTER, e);
    }
  }

  /**
   * Payara's adapter when the Payara profile put it on the test class path, else null (WildFly).
   */
  @SuppressWarnings("unchecked")
  private static Class<? extends DeployableContainer<?>> payaraAdapter() {
    try {
      return (Class<? extends DeployableContainer<?>>)
          Class.forName(PAYARA_ADAPTER, false, SharedServer.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  @Override
  public Class<ContainerConfiguration> getConfigurationClass() {
    return server.getConfigurationClass();
  }

  @Override
  public void setup(ContainerConfiguration configuration) {
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
      LOG.info(() -> "reusing the running server with " + archive.getName());
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
    LOG.info(() -> "stopping the server with " + deployed.getName());
    server.undeploy(deployed);
    deployed = null;
    deployment = null;
    if (running == this) {
      running = null;
    }
  }
}

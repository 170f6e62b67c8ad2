package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.InjectionTarget;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds the handshake to the session: answers with the one protocol version, and accepts only a
 * handshake that {@link HandshakeFilter} verified. A request that reached the endpoint without the
 * filter's verified principal is a deployment error and fails the handshake.
 *
 * <p>It also creates the endpoint instance of each socket. Payara's Tyrus builds a new CDI
 * injection target for every instance (annotated type, interception model, validation), under one
 * lock for the whole application: about a tenth of the server's CPU in a burst of handshakes
 * (bench/RESULTS.md). Here the injection target is built once per endpoint class and each socket
 * only gets the instance produced and its fields injected.
 */
public class SessionConfigurator extends ServerEndpointConfig.Configurator {
  private final Map<Class<?>, InjectionTarget<?>> targets = new ConcurrentHashMap<>();

  /** Looked up at the first socket: Tyrus creates the configurator before CDI has started. */
  private volatile BeanManager beans;

  @Override
  public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
    return requested.contains(Subprotocol.VERSION) ? Subprotocol.VERSION : "";
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    if (!(request.getUserPrincipal() instanceof Handshake)) {
      throw new IllegalStateException(
          "handshake reached the endpoint without a verified token; is HandshakeFilter mapped?");
    }
  }

  /**
   * The instance is never disposed (Tyrus's own CDI provider disposes its instances at the close):
   * {@link #target} admits only endpoints whose injected beans are all normal-scoped, which the
   * container owns, so an instance holds nothing to release.
   */
  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) {
    BeanManager beans = beanManager();
    @SuppressWarnings("unchecked")
    InjectionTarget<T> target =
        (InjectionTarget<T>) targets.computeIfAbsent(endpointClass, c -> target(beans, c));
    CreationalContext<T> context = beans.createCreationalContext(null);
    T endpoint = target.produce(context);
    target.inject(endpoint, context);
    target.postConstruct(endpoint);
    return endpoint;
  }

  private BeanManager beanManager() {
    BeanManager known = beans;
    if (known == null) {
      known = CDI.current().getBeanManager();
      beans = known;
    }
    return known;
  }

  private static <T> InjectionTarget<T> target(BeanManager beans, Class<T> endpointClass) {
    InjectionTarget<T> target =
        beans
            .getInjectionTargetFactory(beans.createAnnotatedType(endpointClass))
            .createInjectionTarget(null);
    for (InjectionPoint point : target.getInjectionPoints()) {
      var bean =
          beans.resolve(
              beans.getBeans(point.getType(), point.getQualifiers().toArray(new Annotation[0])));
      if (bean == null || !beans.isNormalScope(bean.getScope())) {
        throw new IllegalStateException(
            endpointClass.getName()
                + " injects "
                + point.getType().getTypeName()
                + ", which is not normal-scoped: its instances would need disposing at the close");
      }
    }
    return target;
  }
}

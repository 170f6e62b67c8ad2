package com.pdprime.realtime.it;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the test classes grouped by the server configuration they deploy to ({@code
 * TargetsContainer} on the deployment, none for the default), then by name: with {@link
 * SharedServer} each group starts its server once. Set as JUnit's default class order in {@code
 * junit-platform.properties}.
 */
public final class ServerConfigurationOrder implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    context
        .getClassDescriptors()
        .sort(
            Comparator.comparing((ClassDescriptor test) -> configuration(test.getTestClass()))
                .thenComparing(test -> test.getTestClass().getName()));
  }

  /** The container qualifier the class deploys to; "" for the default one or none. */
  private static String configuration(Class<?> test) {
    return Arrays.stream(test.getDeclaredMethods())
        .filter(m -> Modifier.isStatic(m.getModifiers()) && m.isAnnotationPresent(Deployment.class))
        .map(ServerConfigurationOrder::qualifier)
        .findFirst()
        .orElse("");
  }

  private static String qualifier(Method deployment) {
    TargetsContainer target = deployment.getAnnotation(TargetsContainer.class);
    return target == null ? "" : target.value();
  }
}

package com.pdprime.realtime.it;

/**
 * The application server the integration tests run on, for the few tests of what the server itself
 * does (its listener, its WebSocket sessions): pom.xml's wildfly-it profile sets WildFly's home for
 * the tests, Payara Micro is the default.
 */
enum ServerUnderTest {
  PAYARA,
  WILDFLY;

  static final ServerUnderTest CURRENT =
      System.getProperty("realtime.it.wildfly.home") != null ? WILDFLY : PAYARA;
}

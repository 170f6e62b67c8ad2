package com.pdprime.realtime.relay;

/**
 * Names of the relay's JMS resources. The server defines them (server-config/payara/*.asadmin,
 * server-config/wildfly/*.cli): on Payara these are global names; on WildFly a name without {@code
 * java:} is the component's, bound by WEB-INF/jboss-web.xml to the server's resources.
 */
final class RelayResources {
  static final String CONNECTION_FACTORY = "jms/realtimeConnectionFactory";
  static final String TOPIC = "jms/roomEvents";
  static final String TOPIC_NAME = "pdprime.realtime.rooms";

  private RelayResources() {}
}

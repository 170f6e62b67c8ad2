package com.pdprime.realtime.relay;

/** Names of the relay's JMS resources, defined on {@link RoomEventConsumer}. */
final class RelayResources {
  /** The resource adapter's name: Payara names a RAR after its file, activemq-rar.rar. */
  static final String RESOURCE_ADAPTER = "activemq-rar";

  static final String CONNECTION_FACTORY = "java:app/jms/realtimeConnectionFactory";
  static final String TOPIC = "java:app/jms/roomEvents";
  static final String TOPIC_NAME = "pdprime.realtime.rooms";

  private RelayResources() {}
}

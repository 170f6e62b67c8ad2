package com.pdprime.realtime.cluster;

import org.apache.activemq.broker.BrokerService;

/**
 * The external ActiveMQ broker of the multi-instance test: non-persistent, no JMX, listening on
 * {@code tcp://127.0.0.1:<port>} only. It runs in its own JVM (started by {@link ClusterHarness})
 * so the test can stop it and start it again; it runs until the process is killed.
 *
 * <p>Usage: {@code java -cp <test classpath> com.pdprime.realtime.cluster.TestBroker <port>}. It
 * prints {@value #READY} followed by the URL once it accepts connections.
 */
public final class TestBroker {
  static final String READY = "TEST BROKER READY ";

  private TestBroker() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: TestBroker <port>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    BrokerService broker = new BrokerService();
    broker.setBrokerName("pdprime-test-broker");
    broker.setPersistent(false);
    broker.setUseJmx(false);
    broker.setUseShutdownHook(true);
    broker.setAdvisorySupport(true);
    String url = "tcp://127.0.0.1:" + port;
    broker.addConnector(url);
    broker.start();
    broker.waitUntilStarted();
    System.out.println(READY + url);
    System.out.flush();
    Thread.currentThread().join();
  }
}

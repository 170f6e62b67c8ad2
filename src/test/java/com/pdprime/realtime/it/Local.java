package com.pdprime.realtime.it;

import java.net.URI;
import java.net.URL;

/**
 * Payara Micro reports its host by its first network address; the tests talk to it on loopback
 * only, so no test traffic ever leaves the machine. Only the port is taken from Arquillian's URL:
 * with the resource adapter deployed beside the WAR, the URL it injects sometimes names the
 * adapter's empty context instead of the WAR's, which Payara Micro always serves at its file name.
 * WildFly serves it at / (WEB-INF/jboss-web.xml): the wildfly-it profile sets realtime.it.context.
 */
final class Local {
  static final String CONTEXT = System.getProperty("realtime.it.context", "/pdprime-realtime/");

  private Local() {}

  static String base(URL reported) {
    return "http://127.0.0.1:" + reported.getPort() + CONTEXT;
  }

  static URI uri(URL reported, String path) {
    return URI.create(base(reported) + path);
  }
}

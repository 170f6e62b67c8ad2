package com.pdprime.realtime.it;

import java.net.URI;
import java.net.URL;

/**
 * Payara Micro reports its host by its first network address; the tests talk to it on loopback only,
 * so no test traffic ever leaves the machine.
 */
final class Local {
  private Local() {}

  static String base(URL reported) {
    return "http://127.0.0.1:" + reported.getPort() + reported.getPath();
  }

  static URI uri(URL reported, String path) {
    return URI.create(base(reported) + path);
  }
}

package com.pdprime.realtime.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR the build produced, deployed as it is: integration tests test the shipped artifact. */
final class Deployments {
  private Deployments() {}

  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("realtime.it.war")));
  }
}

package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server configured for a Keycloak-style identity provider reads permissions from {@code
 * realm_access.roles}, on REST and on the socket alike, and nowhere else.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SsoTokensIT {
  @Deployment(testable = false)
  @TargetsContainer("keycloak")
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void aRealmRoleGrantsPublishingOverRest() throws Exception {
    Api.Answer answer =
        Api.post(
            base,
            "api/v1/rooms/user:kim/events",
            Tokens.keycloak("svc-rating", "realtime:publish", "offline_access"),
            "{\"name\":\"note.created\",\"data\":{\"text\":\"hi\"}}");
    assertEquals(201, answer.status(), () -> answer.body().toString());
  }

  @Test
  void groupsGrantNothingWhenRealmRolesAreConfigured() throws Exception {
    Api.Answer answer =
        Api.post(
            base,
            "api/v1/rooms/user:kim/events",
            Tokens.valid("svc-rating", "realtime:publish"),
            "{\"name\":\"note.created\",\"data\":{\"text\":\"hi\"}}");
    assertEquals(403, answer.status());
    assertEquals("FORBIDDEN", answer.body().getString("code"));
  }

  @Test
  void aRealmRoleGrantsARoomOnTheSocket() throws Exception {
    try (TestClient viewer = TestClient.connect(base, Tokens.keycloak("ana", "analytics:read"));
        TestClient grouped = TestClient.connect(base, Tokens.valid("ned", "analytics:read"))) {
      assertEquals("ok", viewer.subscribe("analytics:sales").getString("type"));
      assertEquals("FORBIDDEN_ROOM", grouped.subscribe("analytics:sales").getString("code"));
    }
  }
}

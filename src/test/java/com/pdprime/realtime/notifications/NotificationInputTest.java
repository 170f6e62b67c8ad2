package com.pdprime.realtime.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bodies of POST /notifications and PUT /notifications/preferences, validated. */
class NotificationInputTest {
  private static final BusinessWindow WINDOW =
      new BusinessWindow(
          LocalTime.of(9, 0),
          LocalTime.of(17, 0),
          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
  private static final String VALID =
      "{\"recipient\":\"carol\",\"type\":\"rates.changed\",\"priority\":\"normal\","
          + "\"title\":\"New rates\",\"body\":\"Rates in CA changed.\"";

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static NotificationRefusal refusal(String body) {
    return assertThrows(NotificationRefusal.class, () -> NotificationRequest.parse(json(body)));
  }

  @Test
  void aValidNotificationKeepsEveryField() {
    NotificationRequest request =
        NotificationRequest.parse(
            json(VALID + ",\"data\":{\"state\":\"CA\"},\"collapseKey\":\"rates:CA\"}"));
    assertEquals("carol", request.recipient());
    assertEquals(Priority.NORMAL, request.priority());
    assertEquals("CA", request.data().getString("state"));
    assertEquals("rates:CA", request.collapseKey());
    NotificationRequest bare = NotificationRequest.parse(json(VALID + "}"));
    assertEquals(0, bare.data().size());
    assertNull(bare.collapseKey());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"a\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\"} | MISSING_FIELD",
        "{\"recipient\":7,\"type\":\"a\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\"} | INVALID_FIELD",
        "{\"recipient\":\"a b\",\"type\":\"a\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\"} | INVALID_FIELD",
        "{\"recipient\":\"c\",\"type\":\"Rates\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\"} | INVALID_FIELD",
        "{\"recipient\":\"c\",\"type\":\"a\",\"priority\":\"urgent\",\"title\":\"t\",\"body\":\"b\"} | INVALID_FIELD",
        "{\"recipient\":\"c\",\"type\":\"a\",\"priority\":\"low\",\"title\":\" \",\"body\":\"b\"} | INVALID_FIELD",
        "{\"recipient\":\"c\",\"type\":\"a\",\"priority\":\"low\",\"title\":\"t\"} | MISSING_FIELD",
        "{\"recipient\":\"c\",\"type\":\"a\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\",\"data\":[]} | INVALID_FIELD",
        "{\"recipient\":\"c\",\"type\":\"a\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\",\"collapseKey\":null} | INVALID_FIELD",
        "{\"recipient\":\"c\",\"type\":\"a\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\",\"collapsekey\":\"k\"} | INVALID_FIELD",
      })
  void badInputIsRefusedWithItsCode(String body, String code) {
    assertEquals(code, refusal(body).code());
  }

  @Test
  void oversizedFieldsAreRefused() {
    assertEquals(
        "INVALID_FIELD", refusal(VALID.replace("New rates", "x".repeat(201)) + "}").code());
    String bigData =
        ",\"data\":{\"blob\":\"" + "x".repeat(NotificationRequest.MAX_DATA_CHARS) + "\"}}";
    NotificationRefusal refused = refusal(VALID + bigData);
    assertEquals("INVALID_FIELD", refused.code());
    assertEquals(true, refused.getMessage().contains("data"));
  }

  @Test
  void preferencesRoundTrip() {
    Preferences parsed =
        PreferencesRequest.parse(
            json(
                "{\"timeZone\":\"America/Phoenix\",\"quietHours\":{\"start\":\"21:00\",\"end\":\"07:30\"},"
                    + "\"mutedTypes\":[\"rates.changed\"],\"effectiveTimeZone\":\"ignored\"}"),
            WINDOW);
    assertEquals(ZoneId.of("America/Phoenix"), parsed.timeZone());
    assertEquals(new QuietHours(LocalTime.of(21, 0), LocalTime.of(7, 30)), parsed.quietHours());
    assertEquals(Set.of("rates.changed"), parsed.mutedTypes());
    Preferences none =
        PreferencesRequest.parse(
            json("{\"timeZone\":null,\"quietHours\":null,\"mutedTypes\":[]}"), WINDOW);
    assertEquals(Preferences.NONE, none);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"quietHours\":null,\"mutedTypes\":[]} | MISSING_FIELD",
        "{\"timeZone\":\"Mars/Olympus\",\"quietHours\":null,\"mutedTypes\":[]} | INVALID_FIELD",
        "{\"timeZone\":\"EST\",\"quietHours\":null,\"mutedTypes\":[]} | INVALID_FIELD",
        "{\"timeZone\":null,\"quietHours\":{\"start\":\"24:00\",\"end\":\"07:00\"},\"mutedTypes\":[]} | INVALID_FIELD",
        "{\"timeZone\":null,\"quietHours\":{\"start\":\"7:00\",\"end\":\"08:00\"},\"mutedTypes\":[]} | INVALID_FIELD",
        "{\"timeZone\":null,\"quietHours\":{\"start\":\"08:00\"},\"mutedTypes\":[]} | MISSING_FIELD",
        "{\"timeZone\":null,\"quietHours\":{\"start\":\"08:00\",\"end\":\"18:00\"},\"mutedTypes\":[]} | INVALID_FIELD",
        "{\"timeZone\":null,\"quietHours\":null,\"mutedTypes\":\"rates.changed\"} | INVALID_FIELD",
        "{\"timeZone\":null,\"quietHours\":null,\"mutedTypes\":[\"security.login\"]} | NOTIFICATION_TYPE_UNMUTABLE",
        "{\"timeZone\":null,\"quietHours\":null,\"mutedTypes\":[\"quote.bound\"]} | NOTIFICATION_TYPE_UNMUTABLE",
        "{\"timeZone\":null,\"quietHours\":null,\"mutedTypes\":[],\"muted\":[]} | INVALID_FIELD",
      })
  void badPreferencesAreRefusedWithTheirCode(String body, String code) {
    assertEquals(
        code,
        assertThrows(NotificationRefusal.class, () -> PreferencesRequest.parse(json(body), WINDOW))
            .code());
  }
}

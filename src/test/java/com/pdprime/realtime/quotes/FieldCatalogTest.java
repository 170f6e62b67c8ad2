package com.pdprime.realtime.quotes;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldCatalogTest {
  private static JsonValue json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "state|\"OH\"",
        "vehicles.1.year|2020",
        "vehicles.4.vin|\"1HGCM82633A004352\"",
        "drivers.5.accidents|0",
        "coverages.liability|\"100/300/100\"",
        "coverages.collisionDeductible|1000",
        "drivers.1.licenseState|null"
      })
  void acceptsValidValues(String path, String value) {
    assertDoesNotThrow(() -> FieldCatalog.validate(path, json(value)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "state|\"ZZ\"",
        "state|42",
        "vehicles.1.year|1900",
        "vehicles.1.year|2020.5",
        "vehicles.1.year|\"2020\"",
        "vehicles.1.vin|\"1HGCM82633A00435I\"",
        "vehicles.1.annualMiles|-1",
        "drivers.1.accidents|11",
        "coverages.liability|\"10/20/10\"",
        "coverages.collisionDeductible|300",
        "drivers.1.name|\"\"",
        "effectiveDate|\"not-a-date\""
      })
  void refusesInvalidValuesNamingThePath(String path, String value) {
    FieldCatalog.InvalidValue invalid =
        assertThrows(
            FieldCatalog.InvalidValue.class, () -> FieldCatalog.validate(path, json(value)));
    assertTrue(invalid.getMessage().startsWith(path), invalid.getMessage());
  }

  @Test
  void driversMustBeOfDrivingAge() {
    String fifteen = "\"" + LocalDate.now().minusYears(15) + "\"";
    assertThrows(
        FieldCatalog.InvalidValue.class,
        () -> FieldCatalog.validate("drivers.1.birthDate", json(fifteen)));
  }

  @Test
  void knowsExactlyTheCatalogPaths() {
    assertTrue(FieldCatalog.exists("vehicles.4.make"));
    assertFalse(FieldCatalog.exists("vehicles.5.make"));
    assertFalse(FieldCatalog.exists("vehicles.0.make"));
    assertFalse(FieldCatalog.exists("premium"));
    assertEquals(41, FieldCatalog.allPaths().size());
    assertTrue(FieldCatalog.allPaths().stream().allMatch(FieldCatalog::exists));
  }
}

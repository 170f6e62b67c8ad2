package com.pdprime.realtime.quotes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RatingEngineTest {
  private static Map<String, JsonValue> rateable() {
    Map<String, JsonValue> fields = new HashMap<>();
    fields.put("state", Json.createValue("OH"));
    fields.put("coverages.liability", Json.createValue("100/300/100"));
    fields.put("vehicles.1.year", Json.createValue(2018));
    fields.put("drivers.1.birthDate", Json.createValue(LocalDate.now().minusYears(40).toString()));
    return fields;
  }

  @Test
  void namesEveryMissingRequiredField() {
    assertEquals(
        List.of("state", "coverages.liability", "vehicles.1.year", "drivers.1.birthDate"),
        RatingEngine.missing(Map.of()));
    assertEquals(List.of(), RatingEngine.missing(rateable()));
  }

  @Test
  void totalIsTheSumOfTheBreakdownLines() {
    Map<String, JsonValue> fields = rateable();
    fields.put("coverages.collisionDeductible", Json.createValue(500));
    RatingEngine.Premium premium = RatingEngine.rate(fields);
    BigDecimal sum =
        premium.breakdown().getJsonArray("lines").stream()
            .map(line -> line.asJsonObject().getJsonNumber("amount").bigDecimalValue())
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertEquals(sum, premium.total());
    assertEquals(2, premium.breakdown().getJsonArray("lines").size());
  }

  @Test
  void riskierDriversAndHigherLimitsCostMore() {
    BigDecimal base = RatingEngine.rate(rateable()).total();
    Map<String, JsonValue> young = rateable();
    young.put("drivers.1.birthDate", Json.createValue(LocalDate.now().minusYears(19).toString()));
    Map<String, JsonValue> higherLimits = rateable();
    higherLimits.put("coverages.liability", Json.createValue("250/500/250"));
    assertTrue(RatingEngine.rate(young).total().compareTo(base) > 0);
    assertTrue(RatingEngine.rate(higherLimits).total().compareTo(base) > 0);
  }

  @Test
  void higherDeductiblesCostLess() {
    Map<String, JsonValue> low = rateable();
    low.put("coverages.collisionDeductible", Json.createValue(250));
    Map<String, JsonValue> high = rateable();
    high.put("coverages.collisionDeductible", Json.createValue(2000));
    assertTrue(RatingEngine.rate(high).total().compareTo(RatingEngine.rate(low).total()) < 0);
  }
}

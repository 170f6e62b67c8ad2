package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.Period;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rates a personal-auto quote from its fields: a small, deterministic rating plan with the shape of
 * a real one (base rate per vehicle, driver and state factors, coverage factors, deductible
 * credits). The numbers are illustrative; the stages and the failure on missing data are the point.
 */
final class RatingEngine {
  /** The stages a calculation reports progress through, in order. */
  static final List<String> STAGES =
      List.of(
          "validating", "rating-vehicles", "rating-drivers", "applying-coverages", "finalizing");

  private static final Map<String, Double> LIABILITY =
      Map.of("25/50/25", 1.0, "50/100/50", 1.15, "100/300/100", 1.3, "250/500/250", 1.5);
  private static final Map<String, Double> STATE =
      Map.of("MI", 1.6, "FL", 1.4, "NY", 1.3, "CA", 1.2, "NJ", 1.25);

  /** The rated premium and its breakdown lines. */
  record Premium(BigDecimal total, JsonObject breakdown) {}

  private RatingEngine() {}

  static List<String> missing(Map<String, JsonValue> fields) {
    List<String> missing = new ArrayList<>();
    for (String required :
        List.of("state", "coverages.liability", "vehicles.1.year", "drivers.1.birthDate")) {
      if (!present(fields, required)) {
        missing.add(required);
      }
    }
    return missing;
  }

  static Premium rate(Map<String, JsonValue> fields) {
    double stateFactor = STATE.getOrDefault(text(fields, "state"), 1.0);
    double driverFactor = driverFactor(fields);
    double liabilityFactor = LIABILITY.get(text(fields, "coverages.liability"));
    JsonArrayBuilder lines = JSON.createArrayBuilder();
    BigDecimal total = BigDecimal.ZERO;
    for (int v = 1; v <= FieldCatalog.MAX_VEHICLES; v++) {
      if (!present(fields, "vehicles." + v + ".year")) {
        continue;
      }
      double vehicle = vehicleFactor(fields, v) * stateFactor * driverFactor;
      total = total.add(line(lines, v, "liability", 420 * liabilityFactor * vehicle));
      Integer collision = integer(fields, "coverages.collisionDeductible");
      if (collision != null) {
        total =
            total.add(
                line(lines, v, "collision", 310 * Math.pow(500.0 / collision, 0.35) * vehicle));
      }
      Integer comprehensive = integer(fields, "coverages.comprehensiveDeductible");
      if (comprehensive != null) {
        total =
            total.add(
                line(
                    lines,
                    v,
                    "comprehensive",
                    140 * Math.pow(500.0 / comprehensive, 0.3) * vehicle));
      }
    }
    JsonObject breakdown =
        JSON.createObjectBuilder()
            .add("currency", "USD")
            .add("lines", lines)
            .add("stateFactor", stateFactor)
            .add("driverFactor", round(driverFactor))
            .build();
    return new Premium(total.setScale(2, RoundingMode.HALF_UP), breakdown);
  }

  private static BigDecimal line(
      JsonArrayBuilder lines, int vehicle, String coverage, double amount) {
    BigDecimal value = round(amount);
    lines.add(
        JSON.createObjectBuilder()
            .add("vehicle", vehicle)
            .add("coverage", coverage)
            .add("amount", value));
    return value;
  }

  private static double vehicleFactor(Map<String, JsonValue> fields, int v) {
    int age = Math.max(0, Year.now().getValue() - integer(fields, "vehicles." + v + ".year"));
    double ageFactor = age <= 3 ? 1.25 : age <= 10 ? 1.0 : 0.85;
    Integer miles = integer(fields, "vehicles." + v + ".annualMiles");
    double milesFactor = miles == null ? 1.0 : 0.8 + Math.min(miles, 30_000) / 50_000.0;
    return ageFactor * milesFactor;
  }

  private static double driverFactor(Map<String, JsonValue> fields) {
    double factor = 1.0;
    for (int d = 1; d <= FieldCatalog.MAX_DRIVERS; d++) {
      if (!present(fields, "drivers." + d + ".birthDate")) {
        continue;
      }
      int age =
          Period.between(
                  LocalDate.parse(text(fields, "drivers." + d + ".birthDate")), LocalDate.now())
              .getYears();
      double ageFactor = age < 25 ? 1.6 : age < 70 ? 1.0 : 1.2;
      Integer accidents = integer(fields, "drivers." + d + ".accidents");
      factor = Math.max(factor, ageFactor * (1 + 0.25 * (accidents == null ? 0 : accidents)));
    }
    return factor;
  }

  private static boolean present(Map<String, JsonValue> fields, String path) {
    JsonValue value = fields.get(path);
    return value != null && value.getValueType() != JsonValue.ValueType.NULL;
  }

  private static String text(Map<String, JsonValue> fields, String path) {
    return ((JsonString) fields.get(path)).getString();
  }

  private static Integer integer(Map<String, JsonValue> fields, String path) {
    return present(fields, path) ? ((JsonNumber) fields.get(path)).intValue() : null;
  }

  private static BigDecimal round(double amount) {
    return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP);
  }
}

package com.pdprime.realtime.quotes;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.LocalDate;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every field of a personal-auto quote that can be edited, addressed by path ({@code state}, {@code
 * vehicles.2.year}, {@code coverages.liability}), with its type, range and allowed codes. Null
 * clears a field. A value that breaks a rule is refused with a message naming the path.
 */
public final class FieldCatalog {
  /** A quote rates up to 4 vehicles and 5 drivers: a household policy, not a fleet. */
  static final int MAX_VEHICLES = 4;

  static final int MAX_DRIVERS = 5;

  /** The field that says where the insured lives; dashboards filter by it. */
  public static final String STATE = "state";

  /** US state codes, the District of Columbia included. */
  public static final Set<String> STATES =
      Set.of(
          "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
          "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
          "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
          "VA", "WA", "WV", "WI", "WY", "DC");

  static final Set<String> LIABILITY_LIMITS =
      Set.of("25/50/25", "50/100/50", "100/300/100", "250/500/250");

  static final Set<Integer> DEDUCTIBLES = Set.of(250, 500, 1000, 2000);

  private static final Pattern VIN = Pattern.compile("[A-HJ-NPR-Z0-9]{17}");

  /** Why a value was refused. */
  public static final class InvalidValue extends Exception {
    InvalidValue(String message) {
      super(message, null, false, false);
    }
  }

  private interface Rule {
    void check(String path, JsonValue value) throws InvalidValue;
  }

  private record Field(Pattern path, Rule rule) {}

  private static final List<Field> FIELDS =
      List.of(
          field(STATE, FieldCatalog::stateCode),
          field(
              "effectiveDate",
              (p, v) -> date(p, v, LocalDate.now().minusDays(1), LocalDate.now().plusDays(60))),
          field("vehicles\\.[1-" + MAX_VEHICLES + "]\\.vin", FieldCatalog::vin),
          field(
              "vehicles\\.[1-" + MAX_VEHICLES + "]\\.year",
              (p, v) -> integer(p, v, 1981, Year.now().getValue() + 1)),
          field("vehicles\\.[1-" + MAX_VEHICLES + "]\\.make", (p, v) -> text(p, v, 40)),
          field(
              "vehicles\\.[1-" + MAX_VEHICLES + "]\\.annualMiles",
              (p, v) -> integer(p, v, 0, 100_000)),
          field("drivers\\.[1-" + MAX_DRIVERS + "]\\.name", (p, v) -> text(p, v, 100)),
          field("drivers\\.[1-" + MAX_DRIVERS + "]\\.birthDate", FieldCatalog::birthDate),
          field("drivers\\.[1-" + MAX_DRIVERS + "]\\.licenseState", FieldCatalog::stateCode),
          field("drivers\\.[1-" + MAX_DRIVERS + "]\\.accidents", (p, v) -> integer(p, v, 0, 10)),
          field("coverages\\.liability", (p, v) -> code(p, v, LIABILITY_LIMITS)),
          field("coverages\\.collisionDeductible", FieldCatalog::deductible),
          field("coverages\\.comprehensiveDeductible", FieldCatalog::deductible));

  private FieldCatalog() {}

  /** Every concrete path; a new quote gets one row per path, at version 0 and empty. */
  public static List<String> allPaths() {
    List<String> paths = new java.util.ArrayList<>(List.of(STATE, "effectiveDate"));
    for (int v = 1; v <= MAX_VEHICLES; v++) {
      for (String leaf : List.of("vin", "year", "make", "annualMiles")) {
        paths.add("vehicles." + v + "." + leaf);
      }
    }
    for (int d = 1; d <= MAX_DRIVERS; d++) {
      for (String leaf : List.of("name", "birthDate", "licenseState", "accidents")) {
        paths.add("drivers." + d + "." + leaf);
      }
    }
    paths.addAll(
        List.of(
            "coverages.liability",
            "coverages.collisionDeductible",
            "coverages.comprehensiveDeductible"));
    return paths;
  }

  public static boolean exists(String path) {
    return find(path).isPresent();
  }

  /** Checks a value for a path; null always passes (it clears the field). */
  public static void validate(String path, JsonValue value) throws InvalidValue {
    Field field =
        find(path).orElseThrow(() -> new InvalidValue("'" + path + "' is not a quote field"));
    if (value.getValueType() != JsonValue.ValueType.NULL) {
      field.rule().check(path, value);
    }
  }

  private static Optional<Field> find(String path) {
    return FIELDS.stream().filter(f -> f.path().matcher(path).matches()).findFirst();
  }

  private static Field field(String regex, Rule rule) {
    return new Field(Pattern.compile(regex), rule);
  }

  private static String string(String path, JsonValue value) throws InvalidValue {
    if (!(value instanceof JsonString s)) {
      throw new InvalidValue(path + " must be a string");
    }
    return s.getString();
  }

  private static void text(String path, JsonValue value, int max) throws InvalidValue {
    String text = string(path, value);
    if (text.isBlank() || text.length() > max) {
      throw new InvalidValue(path + " must be 1 to " + max + " characters");
    }
  }

  private static void code(String path, JsonValue value, Set<String> allowed) throws InvalidValue {
    if (!allowed.contains(string(path, value))) {
      throw new InvalidValue(path + " must be one of " + new java.util.TreeSet<>(allowed));
    }
  }

  private static void stateCode(String path, JsonValue value) throws InvalidValue {
    code(path, value, STATES);
  }

  private static void vin(String path, JsonValue value) throws InvalidValue {
    Matcher matcher = VIN.matcher(string(path, value));
    if (!matcher.matches()) {
      throw new InvalidValue(path + " must be 17 characters of A-Z (no I, O, Q) and 0-9");
    }
  }

  private static int integer(String path, JsonValue value, int min, int max) throws InvalidValue {
    if (!(value instanceof JsonNumber n) || !n.isIntegral()) {
      throw new InvalidValue(path + " must be a whole number");
    }
    if (n.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(min)) < 0
        || n.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(max)) > 0) {
      throw new InvalidValue(path + " must be from " + min + " to " + max);
    }
    return n.intValue();
  }

  private static void deductible(String path, JsonValue value) throws InvalidValue {
    int amount = integer(path, value, 0, Integer.MAX_VALUE);
    if (!DEDUCTIBLES.contains(amount)) {
      throw new InvalidValue(path + " must be one of " + new java.util.TreeSet<>(DEDUCTIBLES));
    }
  }

  private static void date(String path, JsonValue value, LocalDate from, LocalDate to)
      throws InvalidValue {
    LocalDate date;
    try {
      date = LocalDate.parse(string(path, value));
    } catch (DateTimeParseException e) {
      throw new InvalidValue(path + " must be a date YYYY-MM-DD");
    }
    if (date.isBefore(from) || date.isAfter(to)) {
      throw new InvalidValue(path + " must be from " + from + " to " + to);
    }
  }

  private static void birthDate(String path, JsonValue value) throws InvalidValue {
    LocalDate today = LocalDate.now();
    date(path, value, today.minusYears(110), today.minusYears(16));
  }
}

package com.pdprime.realtime.it;

import java.util.Map;

/** The fewest fields that let a quote's premium be calculated, as path → JSON value. */
public final class RateableQuote {
  /** Each field at version 0 of a new quote; the values pass every rule of the catalogue. */
  public static final Map<String, String> FIELDS =
      Map.of(
          "state", "\"OH\"",
          "coverages.liability", "\"100/300/100\"",
          "coverages.collisionDeductible", "500",
          "vehicles.1.year", "2021",
          "drivers.1.birthDate", "\"1985-04-12\"");

  private RateableQuote() {}
}

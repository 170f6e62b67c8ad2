package com.pdprime.realtime.notifications;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The time zone of a US state or territory (USPS code). A state that spans zones gets the zone
 * where most of its people live; docs/architecture.md lists each such state and the minority it
 * puts an hour off (a customer there sets their zone in their preferences). Arizona is
 * America/Phoenix (no daylight saving; the Navajo Nation's DST is the minority), Indiana
 * America/Indianapolis.
 */
public final class StateZones {
  private static final ZoneId EASTERN = ZoneId.of("America/New_York");
  private static final ZoneId CENTRAL = ZoneId.of("America/Chicago");
  private static final ZoneId MOUNTAIN = ZoneId.of("America/Denver");
  private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

  private static final Map<String, ZoneId> ZONES =
      Map.ofEntries(
          Map.entry("AL", CENTRAL),
          Map.entry("AK", ZoneId.of("America/Anchorage")), // Aleutians west of 169.5° W: Adak
          Map.entry("AZ", ZoneId.of("America/Phoenix")), // Navajo Nation observes DST
          Map.entry("AR", CENTRAL),
          Map.entry("CA", PACIFIC),
          Map.entry("CO", MOUNTAIN),
          Map.entry("CT", EASTERN),
          Map.entry("DC", EASTERN),
          Map.entry("DE", EASTERN),
          Map.entry("FL", EASTERN), // western Panhandle: Central
          Map.entry("GA", EASTERN),
          Map.entry("HI", ZoneId.of("Pacific/Honolulu")),
          Map.entry("IA", CENTRAL),
          Map.entry("ID", ZoneId.of("America/Boise")), // northern Idaho Panhandle: Pacific
          Map.entry("IL", CENTRAL),
          Map.entry("IN", ZoneId.of("America/Indiana/Indianapolis")), // NW and SW corners: Central
          Map.entry("KS", CENTRAL), // four western counties: Mountain
          Map.entry("KY", EASTERN), // western Kentucky: Central
          Map.entry("LA", CENTRAL),
          Map.entry("MA", EASTERN),
          Map.entry("MD", EASTERN),
          Map.entry("ME", EASTERN),
          Map.entry("MI", ZoneId.of("America/Detroit")), // four Upper Peninsula counties: Central
          Map.entry("MN", CENTRAL),
          Map.entry("MO", CENTRAL),
          Map.entry("MS", CENTRAL),
          Map.entry("MT", MOUNTAIN),
          Map.entry("NC", EASTERN),
          Map.entry("ND", CENTRAL), // south-west: Mountain
          Map.entry("NE", CENTRAL), // western Panhandle: Mountain
          Map.entry("NH", EASTERN),
          Map.entry("NJ", EASTERN),
          Map.entry("NM", MOUNTAIN),
          Map.entry("NV", PACIFIC), // West Wendover: Mountain
          Map.entry("NY", EASTERN),
          Map.entry("OH", EASTERN),
          Map.entry("OK", CENTRAL),
          Map.entry("OR", PACIFIC), // most of Malheur County: Mountain
          Map.entry("PA", EASTERN),
          Map.entry("RI", EASTERN),
          Map.entry("SC", EASTERN),
          Map.entry("SD", CENTRAL), // western half: Mountain
          Map.entry("TN", CENTRAL), // East Tennessee: Eastern
          Map.entry("TX", CENTRAL), // El Paso and Hudspeth counties: Mountain
          Map.entry("UT", MOUNTAIN),
          Map.entry("VA", EASTERN),
          Map.entry("VT", EASTERN),
          Map.entry("WA", PACIFIC),
          Map.entry("WI", CENTRAL),
          Map.entry("WV", EASTERN),
          Map.entry("WY", MOUNTAIN),
          Map.entry("PR", ZoneId.of("America/Puerto_Rico")),
          Map.entry("VI", ZoneId.of("America/St_Thomas")),
          Map.entry("GU", ZoneId.of("Pacific/Guam")),
          Map.entry("MP", ZoneId.of("Pacific/Saipan")),
          Map.entry("AS", ZoneId.of("Pacific/Pago_Pago")));

  private StateZones() {}

  public static Optional<ZoneId> of(String stateCode) {
    return stateCode == null
        ? Optional.empty()
        : Optional.ofNullable(ZONES.get(stateCode.toUpperCase(Locale.ROOT)));
  }
}

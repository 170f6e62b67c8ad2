package com.pdprime.realtime.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.connections.JournalPruner;
import com.pdprime.realtime.rooms.RoomName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardFilterTest {
  private static RoomName room(String text) throws RoomName.InvalidRoomName {
    return RoomName.parse(text);
  }

  /** The performance dashboard counts closes from the journal's rows over its whole window. */
  @Test
  void theJournalKeepsClosedConnectionsAtLeastAsLongAsTheLongestWindow() {
    assertTrue(JournalPruner.MIN_RETENTION_HOURS >= DashboardFilter.MAX_HOURS);
  }

  @Test
  void aCanonicalRoomNamesItsDashboardAndFilter() throws Exception {
    DashboardFilter filter =
        DashboardFilter.of(room("analytics:quotes;hours=168;state=TX;agent=ada@pd|1"))
            .orElseThrow();
    assertEquals(Dashboard.QUOTES, filter.dashboard());
    assertEquals(168, filter.hours());
    assertEquals("TX", filter.state());
    assertEquals("ada@pd|1", filter.agent());
    assertEquals(
        "{\"hours\":168,\"state\":\"TX\",\"agent\":\"ada@pd|1\"}", filter.toJson().toString());
  }

  @Test
  void filtersThatAreNotGivenFilterNothing() throws Exception {
    DashboardFilter filter = DashboardFilter.of(room("analytics:conversion;hours=1")).orElseThrow();
    assertEquals(null, filter.state());
    assertEquals(null, filter.agent());
    assertEquals("{\"hours\":1}", filter.toJson().toString());
  }

  @Test
  void aRoomThatNamesNoDashboardIsAPublishedRoom() throws Exception {
    assertTrue(DashboardFilter.of(room("analytics:bench")).isEmpty());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '"',
      value = {
        "analytics:quotes                        ! needs its time window",
        "analytics:sales;hours=24                ! there is no dashboard 'sales'",
        "analytics:quotes;hours=0                ! hours must be a whole number from 1 to 168",
        "analytics:quotes;hours=169              ! hours must be a whole number from 1 to 168",
        "analytics:quotes;hours=024              ! without leading zeros",
        "analytics:quotes;hours=1.5              ! hours must be a whole number",
        "analytics:quotes;state=TX               ! hours is required",
        "analytics:quotes;state=TX;hours=24      ! out of place",
        "analytics:quotes;hours=24;hours=24      ! out of place",
        "analytics:quotes;hours=24;state=tx      ! state must be a US state code",
        "analytics:quotes;hours=24;state=XX      ! state must be a US state code",
        "analytics:quotes;hours=24;region=west   ! 'region' is not a dashboard filter",
        "analytics:performance;hours=24;state=TX ! filtered by hours only",
        "analytics:performance;hours=24;agent=a  ! filtered by hours only",
      })
  void aFilterOutOfRangeOrOutOfOrderIsRefusedWithItsReason(String line) throws Exception {
    String[] parts = line.split("!");
    RoomName name = room(parts[0].trim());
    DashboardFilter.InvalidFilter refused =
        assertThrows(DashboardFilter.InvalidFilter.class, () -> DashboardFilter.of(name));
    assertTrue(
        refused.getMessage().contains(parts[1].trim()),
        () -> parts[0] + ": " + refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "analytics:quotes;hours",
        "analytics:quotes;Hours=1",
        "analytics:q;h=1;a=b;c=d;e=f;g=h"
      })
  void malformedParametersAreNotRoomNamesAtAll(String text) {
    assertThrows(RoomName.InvalidRoomName.class, () -> RoomName.parse(text));
  }
}

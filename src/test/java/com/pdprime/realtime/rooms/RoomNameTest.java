package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNameTest {
  private static final String QUOTE_ID = "3f1c2b7e-9a4d-4c1e-8b2f-0d6e5a7c9b10";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user:alice",
        "user:alice@example.com",
        "user:auth0|5f7c8ec7c33c6c004bbafe82",
        "user:a.b_c-d",
        "user:tenant:alice",
        "quote:" + QUOTE_ID
      })
  void parseAndToStringRoundTrip(String text) throws RoomName.InvalidRoomName {
    assertEquals(text, RoomName.parse(text).toString());
  }

  @Test
  void userRoomKeepsTheSubjectExactly() throws RoomName.InvalidRoomName {
    RoomName room = RoomName.parse("user:Alice");
    assertEquals(RoomType.USER, room.type());
    assertEquals("Alice", room.key());
  }

  @Test
  void userKeyMayBe128CharactersButNotMore() throws RoomName.InvalidRoomName {
    String longest = "a".repeat(128);
    assertEquals(longest, RoomName.parse("user:" + longest).key());
    RoomName.InvalidRoomName problem =
        assertThrows(RoomName.InvalidRoomName.class, () -> RoomName.parse("user:" + longest + "a"));
    assertFalse(problem.unknownType());
  }

  @Test
  void quoteKeyIsLowerCasedSoBothSpellingsAreTheSameRoom() throws RoomName.InvalidRoomName {
    RoomName upper = RoomName.parse("quote:" + QUOTE_ID.toUpperCase());
    assertEquals(RoomName.parse("quote:" + QUOTE_ID), upper);
    assertEquals("quote:" + QUOTE_ID, upper.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "quote:not-a-uuid",
        "quote:3f1c2b7e9a4d4c1e8b2f0d6e5a7c9b10",
        "quote:3f1c2b7e-9a4d-4c1e-8b2f-0d6e5a7c9b1",
        "quote:" + QUOTE_ID + "0",
        "quote:",
        "user:",
        "user:has space",
        "user:slash/name",
        "user:émile",
        "alice",
        ":alice",
        ""
      })
  void badKeysAndShapesAreInvalidButNotUnknownTypes(String text) {
    RoomName.InvalidRoomName problem =
        assertThrows(RoomName.InvalidRoomName.class, () -> RoomName.parse(text));
    assertFalse(problem.unknownType(), problem.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"policy:42", "USER:alice", "Quote:" + QUOTE_ID, "users:alice"})
  void unknownPrefixIsFlaggedAsUnknownType(String text) {
    RoomName.InvalidRoomName problem =
        assertThrows(RoomName.InvalidRoomName.class, () -> RoomName.parse(text));
    assertTrue(problem.unknownType(), problem.getMessage());
  }
}

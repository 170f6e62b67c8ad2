package com.pdprime.realtime.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.rooms.Position;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {
  private static final String QUOTE_ID = "3f1c2b7e-9a4d-4c1e-8b2f-0d6e5a7c9b10";

  private static ProtocolException rejected(String frame) {
    return assertThrows(ProtocolException.class, () -> CommandParser.parse(frame));
  }

  private static void assertRejected(String frame, ErrorCode code, String replyTo) {
    ProtocolException problem = rejected(frame);
    assertEquals(code, problem.code(), problem.getMessage());
    assertEquals(replyTo, problem.replyTo());
  }

  // --- the frame itself ---

  @ParameterizedTest
  @ValueSource(strings = {"{", "not json", "", "{\"id\": }", "{\"id\":\"a\",}"})
  void malformedJsonIsRejectedWithoutReplyTo(String frame) {
    assertRejected(frame, ErrorCode.MALFORMED_JSON, null);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"[]", "[{\"id\":\"a\",\"type\":\"ping\"}]", "42", "\"ping\"", "true", "null"})
  void jsonThatIsNotAnObjectIsAnInvalidFrame(String frame) {
    assertRejected(frame, ErrorCode.INVALID_FRAME, null);
  }

  @Test
  void trailingContentAfterTheObjectIsMalformed() {
    assertRejected("{\"id\":\"a\",\"type\":\"ping\"} trailing", ErrorCode.MALFORMED_JSON, null);
    assertRejected(
        "{\"id\":\"a\",\"type\":\"ping\"}{\"id\":\"b\",\"type\":\"ping\"}",
        ErrorCode.MALFORMED_JSON,
        null);
  }

  // --- id ---

  @Test
  void missingIdIsAMissingFieldWithoutReplyTo() {
    assertRejected("{\"type\":\"ping\"}", ErrorCode.MISSING_FIELD, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"7", "null", "{}", "[\"a\"]", "true"})
  void idThatIsNotAStringIsAnInvalidField(String id) {
    assertRejected("{\"id\":" + id + ",\"type\":\"ping\"}", ErrorCode.INVALID_FIELD, null);
  }

  @Test
  void emptyOrOverlongIdIsAnInvalidField() {
    assertRejected("{\"id\":\"\",\"type\":\"ping\"}", ErrorCode.INVALID_FIELD, null);
    String tooLong = "x".repeat(CommandParser.MAX_ID_LENGTH + 1);
    assertRejected("{\"id\":\"" + tooLong + "\",\"type\":\"ping\"}", ErrorCode.INVALID_FIELD, null);
  }

  @Test
  void idOfMaximumLengthIsAccepted() throws ProtocolException {
    String longest = "x".repeat(CommandParser.MAX_ID_LENGTH);
    assertEquals(
        new Command.Ping(longest),
        CommandParser.parse("{\"id\":\"" + longest + "\",\"type\":\"ping\"}"));
  }

  // --- type ---

  @Test
  void missingTypeIsAMissingFieldRepliedToById() {
    assertRejected("{\"id\":\"c1\"}", ErrorCode.MISSING_FIELD, "c1");
  }

  @Test
  void typeThatIsNotAStringIsAnInvalidField() {
    assertRejected("{\"id\":\"c1\",\"type\":1}", ErrorCode.INVALID_FIELD, "c1");
  }

  @Test
  void unknownTypeIsRejectedAndNamesTheType() {
    ProtocolException problem = rejected("{\"id\":\"c1\",\"type\":\"publish\"}");
    assertEquals(ErrorCode.UNKNOWN_TYPE, problem.code());
    assertEquals("c1", problem.replyTo());
    assertEquals("command type 'publish' does not exist", problem.getMessage());
  }

  @Test
  void pingParses() throws ProtocolException {
    assertEquals(new Command.Ping("c1"), CommandParser.parse("{\"id\":\"c1\",\"type\":\"ping\"}"));
  }

  // --- room ---

  @Test
  void subscribeWithoutRoomIsAMissingField() {
    assertRejected("{\"id\":\"c1\",\"type\":\"subscribe\"}", ErrorCode.MISSING_FIELD, "c1");
  }

  @Test
  void unsubscribeWithoutRoomIsAMissingField() {
    assertRejected("{\"id\":\"c1\",\"type\":\"unsubscribe\"}", ErrorCode.MISSING_FIELD, "c1");
  }

  @Test
  void roomThatIsNotAStringIsAnInvalidField() {
    assertRejected(
        "{\"id\":\"c1\",\"type\":\"subscribe\",\"room\":5}", ErrorCode.INVALID_FIELD, "c1");
  }

  @Test
  void roomWithUnknownPrefixIsAnUnknownRoomType() {
    assertRejected(
        "{\"id\":\"c1\",\"type\":\"subscribe\",\"room\":\"policy:42\"}",
        ErrorCode.UNKNOWN_ROOM_TYPE,
        "c1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"quote:not-a-uuid", "quote:", "user:", "user:has space", "no-colon", ":x"})
  void roomWithBadKeyOrShapeIsAnInvalidRoom(String room) {
    assertRejected(
        "{\"id\":\"c1\",\"type\":\"subscribe\",\"room\":\"" + room + "\"}",
        ErrorCode.INVALID_ROOM,
        "c1");
  }

  @Test
  void quoteRoomKeyIsLowerCased() throws ProtocolException {
    Command command =
        CommandParser.parse(
            "{\"id\":\"c1\",\"type\":\"unsubscribe\",\"room\":\"quote:"
                + QUOTE_ID.toUpperCase()
                + "\"}");
    Command.Unsubscribe unsubscribe = (Command.Unsubscribe) command;
    assertEquals(RoomType.QUOTE, unsubscribe.room().type());
    assertEquals(QUOTE_ID, unsubscribe.room().key());
  }

  // --- since ---

  private static String subscribeSince(String since) {
    return "{\"id\":\"c1\",\"type\":\"subscribe\",\"room\":\"user:alice\",\"since\":" + since + "}";
  }

  @Test
  void subscribeWithoutSinceHasNoPosition() throws ProtocolException {
    Command command =
        CommandParser.parse(
            "{\"id\":\"c1\",\"type\":\"subscribe\",\"room\":\"quote:" + QUOTE_ID + "\"}");
    assertEquals(
        new Command.Subscribe("c1", new RoomName(RoomType.QUOTE, QUOTE_ID), null), command);
  }

  @Test
  void subscribeWithSinceParsesEpochAndSeq() throws ProtocolException {
    Command command = CommandParser.parse(subscribeSince("{\"epoch\":\"e-1\",\"seq\":42}"));
    assertEquals(
        new Command.Subscribe("c1", new RoomName(RoomType.USER, "alice"), new Position("e-1", 42)),
        command);
  }

  @Test
  void sinceAcceptsZeroAndTheLargestLong() throws ProtocolException {
    Command.Subscribe zero =
        (Command.Subscribe) CommandParser.parse(subscribeSince("{\"epoch\":\"e\",\"seq\":0}"));
    assertEquals(0, zero.since().seq());
    Command.Subscribe max =
        (Command.Subscribe)
            CommandParser.parse(subscribeSince("{\"epoch\":\"e\",\"seq\":" + Long.MAX_VALUE + "}"));
    assertEquals(Long.MAX_VALUE, max.since().seq());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"e:1\"", "1", "[\"e\",1]", "null", "true"})
  void sinceThatIsNotAnObjectIsAnInvalidField(String since) {
    assertRejected(subscribeSince(since), ErrorCode.INVALID_FIELD, "c1");
  }

  @Test
  void sinceWithoutSeqIsAMissingField() {
    ProtocolException problem = rejected(subscribeSince("{\"epoch\":\"e\"}"));
    assertEquals(ErrorCode.MISSING_FIELD, problem.code());
    assertEquals("c1", problem.replyTo());
    assertEquals("field 'since.seq' is required", problem.getMessage());
  }

  @Test
  void sinceWithoutEpochIsAMissingFieldNamingSinceEpoch() {
    ProtocolException problem = rejected(subscribeSince("{\"seq\":1}"));
    assertEquals(ErrorCode.MISSING_FIELD, problem.code());
    assertEquals("field 'since.epoch' is required", problem.getMessage());
  }

  @Test
  void sinceWithNonStringEpochIsAnInvalidField() {
    assertRejected(subscribeSince("{\"epoch\":7,\"seq\":1}"), ErrorCode.INVALID_FIELD, "c1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "1.5",
        "\"5\"",
        "null",
        "true",
        "9223372036854775808",
        "18446744073709551616",
        "123456789012345678901234567890",
        "1e2",
        "1e2147483647",
        "1.0"
      })
  void seqThatIsNotANonNegativeLongIsAnInvalidField(String seq) {
    assertRejected(
        subscribeSince("{\"epoch\":\"e\",\"seq\":" + seq + "}"), ErrorCode.INVALID_FIELD, "c1");
  }

  // --- input the JSON provider itself refuses: every one is answered, none escapes ---

  @Test
  void deepNestingIsMalformedJson() {
    assertRejected("[".repeat(10_000), ErrorCode.MALFORMED_JSON, null);
    assertRejected("{\"id\":\"a\",\"x\":" + "[".repeat(10_000), ErrorCode.MALFORMED_JSON, null);
  }

  @Test
  void numberOfSixtyThousandDigitsIsMalformedJson() {
    assertRejected(
        "{\"id\":\"a\",\"type\":\"ping\",\"n\":" + "9".repeat(60_000) + "}",
        ErrorCode.MALFORMED_JSON,
        null);
  }

  @Test
  void exponentBeyondIntRangeIsMalformedJson() {
    assertRejected(
        "{\"id\":\"a\",\"type\":\"ping\",\"n\":1e2147483648}", ErrorCode.MALFORMED_JSON, null);
  }

  @Test
  void duplicateKeysAreMalformedJsonNotLastValueWins() {
    ProtocolException problem = rejected("{\"id\":\"a\",\"type\":\"ping\",\"type\":\"subscribe\"}");
    assertEquals(ErrorCode.MALFORMED_JSON, problem.code());
    assertTrue(problem.getMessage().contains("Duplicate key"), problem.getMessage());
  }

  @Test
  void duplicateKeysInANestedObjectAreMalformedJson() {
    assertRejected(
        subscribeSince("{\"epoch\":\"e\",\"seq\":1,\"seq\":2}"), ErrorCode.MALFORMED_JSON, null);
  }

  @Test
  void malformedJsonMessageIsBoundedWhateverTheInput() {
    ProtocolException problem = rejected("{\"id\":\"" + "x".repeat(70_000) + "\" oops");
    assertEquals(ErrorCode.MALFORMED_JSON, problem.code());
    assertTrue(problem.getMessage().length() < 300, problem.getMessage());
  }

  // --- version ---

  private static String edit(String version) {
    return "{\"id\":\"e1\",\"type\":\"edit\",\"room\":\"quote:"
        + QUOTE_ID
        + "\",\"field\":\"state\",\"value\":\"CA\",\"version\":"
        + version
        + "}";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"-1", "1.5", "1e2", "\"3\"", "null", "18446744073709551616", "1e2147483647"})
  void versionThatIsNotANonNegativeLongIsAnInvalidField(String version) {
    assertRejected(edit(version), ErrorCode.INVALID_FIELD, "e1");
  }

  @Test
  void versionAcceptsTheLargestLong() throws ProtocolException {
    Command.Edit edit = (Command.Edit) CommandParser.parse(edit("9223372036854775807"));
    assertEquals(Long.MAX_VALUE, edit.version());
  }

  // --- alert commands ---

  @Test
  void acknowledgeAndResolveNameAnAlertById() throws ProtocolException {
    assertEquals(
        new Command.Acknowledge("a1", 42),
        CommandParser.parse("{\"id\":\"a1\",\"type\":\"acknowledge\",\"alertId\":42}"));
    assertEquals(
        new Command.Resolve("r1", 7),
        CommandParser.parse("{\"id\":\"r1\",\"type\":\"resolve\",\"alertId\":7}"));
  }

  @Test
  void anAlertCommandWithoutAlertIdIsAMissingField() {
    assertRejected("{\"id\":\"a1\",\"type\":\"acknowledge\"}", ErrorCode.MISSING_FIELD, "a1");
    assertRejected("{\"id\":\"r1\",\"type\":\"resolve\"}", ErrorCode.MISSING_FIELD, "r1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "1.5", "\"42\"", "null", "1e3", "18446744073709551616"})
  void anAlertIdThatIsNotAPositiveIntegerIsAnInvalidField(String alertId) {
    assertRejected(
        "{\"id\":\"r1\",\"type\":\"resolve\",\"alertId\":" + alertId + "}",
        ErrorCode.INVALID_FIELD,
        "r1");
  }

  // --- notification commands ---

  @Test
  void notificationReadNamesTheNotificationAndReadAllNothing() throws ProtocolException {
    assertEquals(
        new Command.NotificationRead("n1", "9b2f7c1e"),
        CommandParser.parse(
            "{\"id\":\"n1\",\"type\":\"notification.read\",\"notificationId\":\"9b2f7c1e\"}"));
    assertEquals(
        new Command.NotificationReadAll("n2"),
        CommandParser.parse("{\"id\":\"n2\",\"type\":\"notification.read-all\"}"));
  }

  @Test
  void aNotificationReadWithoutAStringIdIsRefused() {
    assertRejected("{\"id\":\"n1\",\"type\":\"notification.read\"}", ErrorCode.MISSING_FIELD, "n1");
    assertRejected(
        "{\"id\":\"n1\",\"type\":\"notification.read\",\"notificationId\":7}",
        ErrorCode.INVALID_FIELD,
        "n1");
    assertRejected(
        "{\"id\":\"n1\",\"type\":\"notification.read\",\"notificationId\":\"\"}",
        ErrorCode.INVALID_FIELD,
        "n1");
  }
}

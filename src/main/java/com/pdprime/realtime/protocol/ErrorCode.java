package com.pdprime.realtime.protocol;

/**
 * The stable catalogue of error codes a client can receive in an {@code error} frame. Each code
 * carries the action the client must take; docs/protocol.md lists them all and must stay in step
 * with this enum.
 */
public enum ErrorCode {
  MALFORMED_JSON("Send each command as one JSON object in one text frame."),
  INVALID_FRAME("Send a JSON object with an 'id' string and a 'type' string."),
  MISSING_FIELD("Add the named field to the command and send it again."),
  INVALID_FIELD("Correct the named field's type or format and send the command again."),
  UNKNOWN_TYPE("Use one of the command types listed in docs/protocol.md."),
  UNKNOWN_ROOM_TYPE(
      "Use a room name of a known type: user:{subject}, quote:{uuid} or analytics:{dashboard}."),
  INVALID_ROOM("Use a room name of the form type:key with a key valid for that type."),
  ROOM_NOT_FOUND("Check the room name; the resource it names does not exist."),
  FORBIDDEN_ROOM("Do not retry; ask for the permission that grants this room."),
  ALREADY_SUBSCRIBED("Nothing to do; keep using the existing subscription."),
  NOT_SUBSCRIBED("Subscribe to the room before acting on it."),
  INVALID_FILTER(
      "Name the room in its canonical form with values in range (docs/protocol.md 5.4)."),
  NO_SNAPSHOT("This type of room keeps no state; follow its events instead."),
  NO_PRESENCE("This type of room keeps no presence; do not ask for it (docs/protocol.md 5.1)."),
  TOO_MANY_SUBSCRIPTIONS("Unsubscribe from a room you no longer need, then subscribe again."),
  RATE_LIMITED("Slow down: wait at least one second before the next command."),
  SERVER_BUSY(
      "Send the command again after a second or more, backing off: the server's database is not"
          + " answering in time (as many commands as it may are waiting for it, or this"
          + " command's statement ran past its timeout)."),
  EDIT_CONFLICT(
      "Someone changed the field first: show them 'details.current', then edit again with its version."),
  UNKNOWN_FIELD("Use a field path listed in docs/protocol.md, e.g. vehicles.1.year."),
  INVALID_VALUE("Correct the value as the message says and send the edit again."),
  FORBIDDEN_ACTION("Do not retry; ask for the permission the message names."),
  QUOTE_NOT_EDITABLE("The quote is bound; start a new quote to change anything."),
  QUOTE_NOT_QUOTED("Calculate the premium first, then bind."),
  ALERT_NOT_FOUND("Check the alert id from the admin:alerts stream or GET /api/v1/admin/alerts."),
  ALERT_ALREADY_RESOLVED("Nothing to do: the alert is closed; a recurrence raises a new one."),
  ALERT_ALREADY_ACKNOWLEDGED(
      "Nothing to do: another admin has taken the alert on; see acknowledgedBy."),
  NOTIFICATION_NOT_FOUND(
      "Use an id from GET /api/v1/notifications or a notification event of your user room."),
  TOKEN_REJECTED("Get a fresh token from the identity provider and send refresh again."),
  TOKEN_SUBJECT_MISMATCH("Refresh with a token for the same user, or reconnect as the other user."),
  INTERNAL_ERROR("Retry later; if it persists, report the time and the command id.");

  private final String action;

  ErrorCode(String action) {
    this.action = action;
  }

  public String action() {
    return action;
  }
}

package com.pdprime.realtime.admin;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The schema of a saved admin dashboard's layout (docs/protocol.md §11.13): {@code {"widgets":
 * [...]}}, each widget one of the console's panels placed on a 12-column grid. Every key is known;
 * an unknown one is refused rather than stored unread, so a layout saved today means the same when
 * it is loaded.
 */
final class DashboardLayout {
  /** The console's panels: the four admin streams' views and the connections table. */
  static final Set<String> WIDGET_TYPES =
      new TreeSet<>(List.of("system", "performance", "alerts", "activity", "connections"));

  /** More panels than any screen shows at once. */
  static final int MAX_WIDGETS = 40;

  /** Forty widgets with long titles stay under 8 KiB; twice that bounds what one row stores. */
  static final int MAX_CHARS = 16 * 1024;

  static final int COLUMNS = 12;
  static final int MAX_ROW = 999;
  static final int MAX_HEIGHT = 24;
  static final int MAX_TITLE_CHARS = 100;

  private static final Set<String> WIDGET_KEYS = Set.of("type", "x", "y", "w", "h", "title");

  private DashboardLayout() {}

  /** The layout as stored: the validated JSON, serialised once. */
  static String validated(JsonValue layout) {
    if (layout.getValueType() != JsonValue.ValueType.OBJECT) {
      throw invalid("layout", "must be a JSON object {\"widgets\": [...]}");
    }
    String text = layout.toString();
    if (text.length() > MAX_CHARS) {
      throw new Refusal(
          413,
          "LAYOUT_TOO_LARGE",
          "layout is " + text.length() + " characters; at most " + MAX_CHARS + " are stored",
          "Remove widgets or shorten their titles.");
    }
    JsonObject object = layout.asJsonObject();
    for (String key : object.keySet()) {
      if (!key.equals("widgets")) {
        throw invalid("layout." + key, "is not part of a layout (it holds only widgets)");
      }
    }
    JsonValue widgets = object.get("widgets");
    if (widgets == null) {
      throw invalid("layout.widgets", "is required");
    }
    if (widgets.getValueType() != JsonValue.ValueType.ARRAY) {
      throw invalid("layout.widgets", "must be an array");
    }
    JsonArray list = widgets.asJsonArray();
    if (list.size() > MAX_WIDGETS) {
      throw invalid("layout.widgets", "holds " + list.size() + " widgets; at most " + MAX_WIDGETS);
    }
    for (int i = 0; i < list.size(); i++) {
      widget("layout.widgets[" + i + "]", list.get(i));
    }
    return text;
  }

  private static void widget(String path, JsonValue value) {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw invalid(path, "must be an object {type, x, y, w, h}");
    }
    JsonObject widget = value.asJsonObject();
    for (String key : widget.keySet()) {
      if (!WIDGET_KEYS.contains(key)) {
        throw invalid(path + "." + key, "is not a widget key (" + new TreeSet<>(WIDGET_KEYS) + ")");
      }
    }
    JsonValue type = widget.get("type");
    if (!(type instanceof JsonString name) || !WIDGET_TYPES.contains(name.getString())) {
      throw invalid(path + ".type", "must be one of " + WIDGET_TYPES);
    }
    int x = whole(path + ".x", widget.get("x"), 0, COLUMNS - 1);
    int w = whole(path + ".w", widget.get("w"), 1, COLUMNS);
    if (x + w > COLUMNS) {
      throw invalid(path + ".w", "reaches past column " + COLUMNS + " (x + w must be at most 12)");
    }
    whole(path + ".y", widget.get("y"), 0, MAX_ROW);
    whole(path + ".h", widget.get("h"), 1, MAX_HEIGHT);
    JsonValue title = widget.get("title");
    if (title != null
        && (!(title instanceof JsonString text)
            || text.getString().isBlank()
            || text.getString().length() > MAX_TITLE_CHARS)) {
      throw invalid(path + ".title", "must be a non-blank string of at most 100 characters");
    }
  }

  private static int whole(String path, JsonValue value, int min, int max) {
    if (value == null) {
      throw invalid(path, "is required");
    }
    if (!(value instanceof JsonNumber number)
        || !number.isIntegral()
        || number.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(min)) < 0
        || number.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      throw invalid(path, "must be a whole number from " + min + " to " + max);
    }
    return number.intValue();
  }

  private static Refusal invalid(String path, String problem) {
    return new Refusal(
        400,
        "INVALID_LAYOUT",
        path + " " + problem,
        "Send a layout as docs/protocol.md §11.13 describes: {\"widgets\": [{type, x, y, w, h}]}.");
  }
}

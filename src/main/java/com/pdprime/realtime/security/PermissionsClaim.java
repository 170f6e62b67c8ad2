package com.pdprime.realtime.security;

import com.pdprime.realtime.security.TokenRejected.Reason;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a token carries the caller's permissions, as the identity provider issues them: a claim
 * path ({@code groups}; Keycloak's {@code realm_access.roles}; {@code scope}) and its format, an
 * array of strings or one space-separated string (OAuth 2's {@code scope}, RFC 6749 §3.3). A value
 * of any other shape refuses the token; an absent claim grants nothing.
 */
public record PermissionsClaim(List<String> path, Format format) {
  /** How the claim's value lists the permissions. */
  public enum Format {
    ARRAY,
    SPACE_SEPARATED
  }

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_:-]+");
  private static final Pattern SPACES = Pattern.compile(" +");

  /** MicroProfile JWT's claim: {@code "groups": ["quote:read", ...]}. */
  public static final PermissionsClaim GROUPS = parse("groups", "array");

  public PermissionsClaim {
    path = List.copyOf(path);
  }

  /**
   * Reads the configuration: a dotted path of claim names and {@code array} or {@code
   * space-separated}; anything else is a configuration error that stops the start.
   */
  public static PermissionsClaim parse(String dottedPath, String format) {
    List<String> path = List.of(dottedPath.trim().split("\\.", -1));
    if (path.stream().anyMatch(segment -> !SEGMENT.matcher(segment).matches())) {
      throw new IllegalStateException(
          "realtime.security.permissions-claim '"
              + dottedPath
              + "' is not a dotted path of claim names, e.g. groups or realm_access.roles");
    }
    Format parsed =
        switch (format.trim()) {
          case "array" -> Format.ARRAY;
          case "space-separated" -> Format.SPACE_SEPARATED;
          default ->
              throw new IllegalStateException(
                  "realtime.security.permissions-format '"
                      + format
                      + "' must be array or space-separated");
        };
    return new PermissionsClaim(path, parsed);
  }

  Set<String> extract(JsonObject claims) throws TokenRejected {
    JsonValue value = claims;
    for (String segment : path) {
      if (!(value instanceof JsonObject object)) {
        throw malformed();
      }
      value = object.get(segment);
      if (value == null) {
        return Set.of();
      }
    }
    return switch (format) {
      case ARRAY -> strings(value);
      case SPACE_SEPARATED -> words(value);
    };
  }

  private Set<String> strings(JsonValue value) throws TokenRejected {
    if (!(value instanceof JsonArray array)) {
      throw malformed();
    }
    Set<String> result = new HashSet<>();
    for (JsonValue entry : array) {
      if (!(entry instanceof JsonString s)) {
        throw malformed();
      }
      result.add(s.getString());
    }
    return result;
  }

  private Set<String> words(JsonValue value) throws TokenRejected {
    if (!(value instanceof JsonString s)) {
      throw malformed();
    }
    String text = s.getString().trim();
    return text.isEmpty() ? Set.of() : new HashSet<>(List.of(SPACES.split(text)));
  }

  private TokenRejected malformed() {
    String what = format == Format.ARRAY ? "an array of strings" : "a space-separated string";
    return new TokenRejected(
        Reason.MALFORMED, "claim '" + String.join(".", path) + "' must be " + what);
  }

  @Override
  public String toString() {
    return String.join(".", path) + " (" + format.name().toLowerCase().replace('_', '-') + ")";
  }
}

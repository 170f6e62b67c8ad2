package com.pdprime.realtime.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pdprime.realtime.protocol.CloseCode;
import com.pdprime.realtime.protocol.ErrorCode;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.TokenRejected;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents operators and client authors read stay true to the code: every error code, close
 * code and token refusal is in docs/protocol.md, every configuration key the code reads is in
 * docs/operations.md, and the start page lists every permission. A new code or key without its
 * documentation fails the build.
 */
class DocsMatchCodeTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern CONFIG_KEY =
      Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern PROPERTIES_KEY =
      Pattern.compile("^([a-z][a-z0-9.-]+)=", Pattern.MULTILINE);

  @Test
  void everyErrorCodeIsInTheProtocol() {
    String protocol = read(Path.of("docs/protocol.md"));
    Set<String> missing = new TreeSet<>();
    for (ErrorCode code : ErrorCode.values()) {
      if (!protocol.contains("`" + code.name() + "`")) {
        missing.add(code.name());
      }
    }
    assertEquals(Set.of(), missing, "error codes missing from docs/protocol.md");
  }

  @Test
  void everyCloseCodeIsInTheProtocol() {
    String protocol = read(Path.of("docs/protocol.md"));
    Set<String> missing = new TreeSet<>();
    for (CloseCode code : CloseCode.values()) {
      if (!protocol.contains("`" + code.code() + "`") && !protocol.contains("| " + code.code())) {
        missing.add(code.name() + " " + code.code());
      }
    }
    assertEquals(Set.of(), missing, "close codes missing from docs/protocol.md");
  }

  @Test
  void everyTokenRefusalIsInTheProtocol() {
    String protocol = read(Path.of("docs/protocol.md"));
    Set<String> missing = new TreeSet<>();
    for (TokenRejected.Reason reason : TokenRejected.Reason.values()) {
      if (!protocol.contains("`TOKEN_" + reason.name() + "`")) {
        missing.add("TOKEN_" + reason.name());
      }
    }
    assertEquals(Set.of(), missing, "token refusals missing from docs/protocol.md");
  }

  @Test
  void theStartPageListsEveryPermission() throws IllegalAccessException {
    String startPage = read(Path.of("src/main/webapp/index.html"));
    Set<String> missing = new TreeSet<>();
    for (Field field : Permissions.class.getFields()) {
      String permission = (String) field.get(null);
      if (!startPage.contains("<code>" + permission + "</code></td>")) {
        missing.add(permission);
      }
    }
    assertEquals(Set.of(), missing, "permissions missing from the start page's table");
  }

  @Test
  void everyConfigurationKeyIsInOperations() {
    String operations = read(Path.of("docs/operations.md"));
    Set<String> keys = new TreeSet<>();
    for (Path source : javaSources()) {
      collect(CONFIG_KEY.matcher(read(source)), keys);
    }
    collect(
        PROPERTIES_KEY.matcher(
            read(Path.of("src/main/resources/META-INF/microprofile-config.properties"))),
        keys);
    keys.removeIf(key -> operations.contains("`" + key + "`"));
    assertEquals(Set.of(), keys, "configuration keys missing from docs/operations.md");
  }

  private static void collect(Matcher matcher, Set<String> into) {
    while (matcher.find()) {
      into.add(matcher.group(1));
    }
  }

  private static List<Path> javaSources() {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

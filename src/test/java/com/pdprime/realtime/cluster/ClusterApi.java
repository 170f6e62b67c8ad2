package com.pdprime.realtime.cluster;

import com.pdprime.realtime.devtokens.TokenSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Tokens signed with the cluster's identity-provider key ({@link ClusterKey}, the one the instances
 * trust) and the publish call a backend service makes. Loopback only.
 */
final class ClusterApi {
  static final String ISSUER = "https://login.cluster.test/realms/pdprime";
  static final String AUDIENCE = "pdprime-realtime";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ClusterApi() {}

  /** What a publish answered: the HTTP status and, on 201, the event's seq. */
  record Published(int status, long seq, String body) {}

  static String token(String subject, String... permissions) {
    Instant now = Instant.now();
    try {
      return TokenSigner.sign(
          ClusterKey.signing(),
          new TokenSigner.Claims(
              ISSUER,
              AUDIENCE,
              subject,
              subject + " (cluster test)",
              List.of(permissions),
              now,
              now.plusSeconds(900)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Published publish(URI base, String token, String room, String dataJson) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/v1/rooms/" + room + "/events"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"name\":\"cluster.tick\",\"data\":" + dataJson + "}"))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    long seq = -1;
    if (response.statusCode() == 201) {
      var matcher = java.util.regex.Pattern.compile("\"seq\":(\\d+)").matcher(response.body());
      if (matcher.find()) {
        seq = Long.parseLong(matcher.group(1));
      }
    }
    return new Published(response.statusCode(), seq, response.body());
  }

  /** A REST call on one instance; {@code json} null sends no body. Answers status and body. */
  static HttpResponse<String> call(URI base, String method, String path, String token, String json)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static String get(URI uri) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The repository's DEVELOPMENT-ONLY key, which the instances must not trust. */
  static PrivateKey developmentKey() throws Exception {
    String pem =
        Files.readString(
            Path.of(
                System.getProperty("realtime.it.config.dir"),
                "dev",
                "DEVELOPMENT-ONLY-private-key.pem"));
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README smoke test's socket: connects as a browser-less client with the token in TOKEN,
 * subscribes to the room in ROOM, prints READY once subscribed, RECEIVED with the first event, and
 * exits 0 only when the server then closes the socket with 1001 (a clean shutdown). Run with the
 * JDK's source launcher: {@code java .ci/SmokeClient.java}. Every wait is bounded.
 */
public class SmokeClient {
  public static void main(String[] args) throws Exception {
    String token = System.getenv("TOKEN");
    String room = System.getenv("ROOM");
    CountDownLatch closed = new CountDownLatch(1);
    int[] closeCode = {-1};
    StringBuilder frame = new StringBuilder();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
              String text = frame.toString();
              frame.setLength(0);
              if (text.contains("\"replyTo\":\"1\"") && text.contains("\"ok\"")) {
                System.out.println("READY");
              } else if (text.contains("\"type\":\"event\"") && text.contains("\"seq\":")) {
                System.out.println("RECEIVED " + text);
              } else if (text.contains("\"type\":\"error\"")) {
                System.out.println("ERROR " + text);
              }
            }
            socket.request(1);
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            System.out.println("CLOSED " + code + " " + reason);
            closeCode[0] = code;
            closed.countDown();
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public void onError(WebSocket socket, Throwable error) {
            System.out.println("FAILED " + error);
            closed.countDown();
          }
        };
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .subprotocols("pdprime.realtime.v1", "bearer." + token)
            .buildAsync(URI.create("ws://localhost:8080/ws"), listener)
            .get(15, TimeUnit.SECONDS);
    socket.sendText("{\"id\":\"1\",\"type\":\"subscribe\",\"room\":\"" + room + "\"}", true);
    if (!closed.await(180, TimeUnit.SECONDS)) {
      System.out.println("TIMEOUT waiting for the server to close the socket");
      System.exit(2);
    }
    System.exit(closeCode[0] == 1001 ? 0 : 1);
  }
}

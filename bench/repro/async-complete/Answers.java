package repro;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** /complete: answer 201 from another thread, then complete(); /dispatch: dispatch() back, answer on the container thread. */
@WebServlet(urlPatterns = {"/complete", "/dispatch"}, asyncSupported = true)
public class Answers extends HttpServlet {
  private static final ExecutorService ANSWERERS = Executors.newFixedThreadPool(4);
  private static final AtomicLong SEQ = new AtomicLong();

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      write(response, (byte[]) request.getAttribute("answer"));
      return;
    }
    request.getInputStream().readAllBytes();
    AsyncContext async = request.startAsync();
    async.setTimeout(0);
    boolean dispatch = request.getServletPath().equals("/dispatch");
    ANSWERERS.execute(() -> {
      byte[] body = ("{\"seq\":" + SEQ.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
      if (dispatch) {
        async.getRequest().setAttribute("answer", body);
        async.dispatch();
        return;
      }
      try {
        write((HttpServletResponse) async.getResponse(), body);
      } catch (IOException e) {
        e.printStackTrace();
      }
      async.complete();
    });
  }

  /** In Jersey's order: content length, headers, then the status, then the entity. */
  private static void write(HttpServletResponse response, byte[] body) throws IOException {
    response.setContentLength(body.length);
    response.setHeader("Content-Type", "application/json");
    response.setHeader("Idempotent-Replayed", "false");
    response.setStatus(201);
    response.getOutputStream().write(body);
  }
}

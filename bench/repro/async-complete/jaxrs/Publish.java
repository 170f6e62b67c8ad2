package repro2;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * /api/publish suspends (Jersey starts the async cycle); another thread then hands the answer back
 * through the servlet AsyncContext's dispatch() to /api/answer, which Jersey serves synchronously on a
 * container thread. Jersey's first response is never resumed.
 */
@Path("/")
public class Publish {
  private static final ExecutorService ANSWERERS = Executors.newFixedThreadPool(4);
  private static final AtomicLong SEQ = new AtomicLong();

  @POST
  @Path("publish")
  public void publish(@Suspended AsyncResponse response, @Context HttpServletRequest request) {
    AsyncContext async = request.getAsyncContext();
    ANSWERERS.execute(() -> {
      async.getRequest().setAttribute("answer", "{\"seq\":" + SEQ.incrementAndGet() + "}");
      async.dispatch("/api/answer");
    });
  }

  @POST
  @Path("answer")
  public Response answer(@Context HttpServletRequest request) {
    Object answer = request.getAttribute("answer");
    if (request.getDispatcherType() != DispatcherType.ASYNC || answer == null) {
      return Response.status(404).build();
    }
    return Response.status(201).header("Idempotent-Replayed", "false").entity(answer).type("application/json").build();
  }
}

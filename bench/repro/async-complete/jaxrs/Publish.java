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
 * Both suspend (Jersey starts the async cycle) and let another thread hand the answer back through
 * the servlet AsyncContext's dispatch():
 *
 * <ul>
 *   <li>/api/publish dispatches to /api/answer, which Jersey serves synchronously on a container
 *       thread; Jersey's first response is never resumed.
 *   <li>/api/resume leaves the resume on the request and dispatches to the same path;
 *       ResumeOnDispatch runs it on the dispatch's container thread, so Jersey writes and completes
 *       its own suspended response there (what PD Prime's api/ContainerThreadAnswers does).
 * </ul>
 */
@Path("/")
public class Publish {
  static final String RESUME = "repro2.resume";
  private static final ExecutorService ANSWERERS = Executors.newFixedThreadPool(4);
  private static final AtomicLong SEQ = new AtomicLong();

  @POST
  @Path("publish")
  public void publish(@Suspended AsyncResponse response, @Context HttpServletRequest request) {
    AsyncContext async = request.getAsyncContext();
    ANSWERERS.execute(() -> {
      async.getRequest().setAttribute("answer", body());
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
    return created(answer);
  }

  @POST
  @Path("resume")
  public void resume(@Suspended AsyncResponse response, @Context HttpServletRequest request) {
    AsyncContext async = request.getAsyncContext();
    ANSWERERS.execute(() -> {
      Object answer = body();
      async.getRequest().setAttribute(RESUME, (Runnable) () -> response.resume(created(answer)));
      async.dispatch();
    });
  }

  private static String body() {
    return "{\"seq\":" + SEQ.incrementAndGet() + "}";
  }

  private static Response created(Object body) {
    return Response.status(201).header("Idempotent-Replayed", "false").entity(body).type("application/json").build();
  }
}

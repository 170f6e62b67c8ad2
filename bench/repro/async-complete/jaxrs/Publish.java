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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 *   <li>/api/handoff does what PD Prime's api/ContainerThreadAnswers does since the sixth stop of
 *       2026-12-04: an answer ready before the worker has left the filter chain (LeaveMark) is
 *       resumed by the worker as it leaves; one ready after is dispatched as /api/resume's
 *       ({@link Handoff}), no sooner than 1 ms after the worker left the filter chain.
 *   <li>/api/handoff-returned the same, but no sooner than 1 ms after the container has said that
 *       the request returned to it (PD Prime since the ninth stop of 2026-12-05).
 * </ul>
 *
 * <p>With the system property repro.maxDelayMs, the answers of /api/resume and the hand-offs are
 * ready after a random 0 to that many milliseconds, as a group commit under a slow database would
 * answer (the suspended request's timeout off, as PD Prime's resource sets it).
 */
@Path("/")
public class Publish {
  static final String RESUME = "repro2.resume";
  private static final ScheduledExecutorService ANSWERERS = Executors.newScheduledThreadPool(4);
  private static final long MAX_DELAY_MS = Long.getLong("repro.maxDelayMs", 0);
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
    response.setTimeout(AsyncResponse.NO_TIMEOUT, TimeUnit.MILLISECONDS);
    AsyncContext async = request.getAsyncContext();
    ANSWERERS.schedule(() -> {
      Object answer = body();
      async.getRequest().setAttribute(RESUME, (Runnable) () -> response.resume(created(answer)));
      async.dispatch();
    }, delay(), TimeUnit.MILLISECONDS);
  }

  @POST
  @Path("handoff")
  public void handoff(@Suspended AsyncResponse response, @Context HttpServletRequest request) {
    handOff(response, request, false);
  }

  @POST
  @Path("handoff-returned")
  public void handoffReturned(@Suspended AsyncResponse response, @Context HttpServletRequest request) {
    handOff(response, request, true);
  }

  private void handOff(AsyncResponse response, HttpServletRequest request, boolean awaitReturn) {
    response.setTimeout(AsyncResponse.NO_TIMEOUT, TimeUnit.MILLISECONDS);
    Handoff handoff = new Handoff(request.getAsyncContext(), awaitReturn);
    request.setAttribute(Handoff.ATTRIBUTE, handoff);
    ANSWERERS.schedule(() -> {
      Object answer = body();
      handoff.answerReady(() -> response.resume(created(answer)));
    }, delay(), TimeUnit.MILLISECONDS);
  }

  private static long delay() {
    return MAX_DELAY_MS == 0 ? 0 : ThreadLocalRandom.current().nextLong(MAX_DELAY_MS + 1);
  }

  private static String body() {
    return "{\"seq\":" + SEQ.incrementAndGet() + "}";
  }

  private static Response created(Object body) {
    return Response.status(201).header("Idempotent-Replayed", "false").entity(body).type("application/json").build();
  }
}

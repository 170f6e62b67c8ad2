package repro2;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells a request's Handoff that its worker has left the filter chain. With the system property
 * repro.exitDelayMicros, the worker then stays a random 0 to that many microseconds longer in the
 * request (parked), as a worker does in the container's own code after the filter chain on a cold
 * JVM or when it is descheduled there.
 */
@WebFilter(urlPatterns = "/api/*", dispatcherTypes = DispatcherType.REQUEST, asyncSupported = true)
public class LeaveMark extends HttpFilter {
  private static final long EXIT_DELAY_MICROS = Long.getLong("repro.exitDelayMicros", 0);

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
    chain.doFilter(request, response);
    if (request.getAttribute(Handoff.ATTRIBUTE) instanceof Handoff handoff) {
      handoff.workerLeft();
    }
    if (EXIT_DELAY_MICROS > 0) {
      LockSupport.parkNanos(
          TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(EXIT_DELAY_MICROS + 1)));
    }
  }
}

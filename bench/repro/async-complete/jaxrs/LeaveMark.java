package repro2;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import java.io.IOException;

/** Tells a request's Handoff that its worker has left the filter chain. */
@WebFilter(urlPatterns = "/api/*", dispatcherTypes = DispatcherType.REQUEST, asyncSupported = true)
public class LeaveMark extends HttpFilter {
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
    chain.doFilter(request, response);
    if (request.getAttribute(Handoff.ATTRIBUTE) instanceof Handoff handoff) {
      handoff.workerLeft();
    }
  }
}

package repro2;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Runs the resume a suspended request left for its async dispatch, on that dispatch's thread. */
@WebFilter(urlPatterns = "/api/*", dispatcherTypes = DispatcherType.ASYNC, asyncSupported = true)
public class ResumeOnDispatch extends HttpFilter {
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getAttribute(Publish.RESUME) instanceof Runnable resume) {
      request.removeAttribute(Publish.RESUME);
      if (!request.isAsyncStarted()) {
        // As PD Prime's filter does (RESTEasy resumes through the request's current async
        // context); the header says whether this container needed it.
        ((HttpServletResponse) response).setHeader("Async-Restarted", "true");
        request.startAsync(request, response);
      }
      resume.run();
      return;
    }
    chain.doFilter(request, response);
  }
}

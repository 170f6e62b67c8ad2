package com.pdprime.realtime.api;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the answer to a request whose body was not read to its end ({@link BodyLimitFilter} cut it
 * off, or it stopped coming) as soon as it is written, with {@code Connection: close}: the client
 * may still be sending the rest of its body.
 *
 * <p>Undertow (WildFly) reads a request body to its end before it completes the response, so
 * without the flush the 413 waits for the whole oversized body, and a client that stops sending
 * without ending its chunked body never gets it. Grizzly (Payara) sends it either way.
 *
 * <p>Such a client may have left before its answer: its connection ended mid-body ({@code 400
 * BODY_INCOMPLETE}, which reaches it only if it closed its sending side alone), or it gave up while
 * its body was refused. Then the answer cannot be written, and Jersey (Payara) logs that at SEVERE
 * with a stack trace, once per request. The answer's stream takes the failure instead and logs it
 * at FINE: the refusal is decided (and, but for the 413, logged and counted by {@link
 * UnfinishedBodyMapper}), and a client that did not stay for it is the refusal's expected end, not
 * a fault of the server's.
 */
@Provider
public class CutOffBodyAnswer implements WriterInterceptor {
  private static final Logger LOG = Logger.getLogger(CutOffBodyAnswer.class.getName());

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    if (context.getProperty(BodyLimitFilter.CUT_OFF) == null) {
      context.proceed();
      return;
    }
    context.getHeaders().putSingle("Connection", "close");
    context.setOutputStream(new ToClientThatMayBeGone(context.getOutputStream()));
    context.proceed();
    context.getOutputStream().flush();
  }

  /** An answer's stream whose failed write, flush or close is logged at FINE: the client left. */
  private static final class ToClientThatMayBeGone extends FilterOutputStream {
    ToClientThatMayBeGone(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) {
      attempt(() -> out.write(b));
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      attempt(() -> out.write(bytes, offset, length));
    }

    @Override
    public void flush() {
      attempt(out::flush);
    }

    @Override
    public void close() {
      attempt(out::close);
    }

    private interface Step {
      void run() throws IOException;
    }

    private void attempt(Step step) {
      try {
        step.run();
      } catch (IOException e) {
        LOG.log(
            Level.FINE,
            "the answer to a request whose body was not read to its end was not delivered: {0}",
            e);
      }
    }
  }
}

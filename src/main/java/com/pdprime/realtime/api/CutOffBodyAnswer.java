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
 * <p>A client whose connection ended mid-body ({@link #CLIENT_GONE}) may still be reading, its
 * sending side alone closed, so it is answered like any other client; but when it has gone
 * altogether the answer cannot be written, and Jersey (Payara) logs that at SEVERE with a stack
 * trace, once per request. The answer's stream takes the failure instead: {@link
 * UnfinishedBodyMapper} has already logged and counted the client's departure, and this is its
 * expected consequence.
 */
@Provider
public class CutOffBodyAnswer implements WriterInterceptor {
  /** The request property set on a request whose client's connection ended before its body did. */
  static final String CLIENT_GONE = CutOffBodyAnswer.class.getName() + ".clientGone";

  private static final Logger LOG = Logger.getLogger(CutOffBodyAnswer.class.getName());

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    boolean cutOff = context.getProperty(BodyLimitFilter.CUT_OFF) != null;
    if (cutOff) {
      context.getHeaders().putSingle("Connection", "close");
    }
    if (context.getProperty(CLIENT_GONE) != null) {
      context.setOutputStream(new ToClientThatMayBeGone(context.getOutputStream()));
    }
    context.proceed();
    if (cutOff) {
      context.getOutputStream().flush();
    }
  }

  /** An answer's stream whose write, flush or close fails only at FINE: the client has left. */
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
        LOG.log(Level.FINE, "the answer to a client that left mid-body was not delivered: {0}", e);
      }
    }
  }
}

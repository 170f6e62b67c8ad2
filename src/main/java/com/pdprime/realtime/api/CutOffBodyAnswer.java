package com.pdprime.realtime.api;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;

/**
 * Sends the answer to a request whose body was not read to its end ({@link BodyLimitFilter} cut it
 * off, or it stopped coming) as soon as it is written, with {@code Connection: close}: the client
 * may still be sending the rest of its body.
 *
 * <p>Undertow (WildFly) reads a request body to its end before it completes the response, so
 * without the flush the 413 waits for the whole oversized body, and a client that stops sending
 * without ending its chunked body never gets it. Grizzly (Payara) sends it either way.
 */
@Provider
public class CutOffBodyAnswer implements WriterInterceptor {
  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    boolean cutOff = context.getProperty(BodyLimitFilter.CUT_OFF) != null;
    if (cutOff) {
      context.getHeaders().putSingle("Connection", "close");
    }
    context.proceed();
    if (cutOff) {
      context.getOutputStream().flush();
    }
  }
}

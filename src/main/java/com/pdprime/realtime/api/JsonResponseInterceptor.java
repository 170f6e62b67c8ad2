package com.pdprime.realtime.api;

import jakarta.annotation.Priority;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes every JSON response body as the UTF-8 bytes of its text, in one write.
 *
 * <p>Why not the runtime's JSON-P writer: on Payara it opens a JSON generator on the response
 * stream for each body, and that generator's character encoder takes a new 8 KiB buffer, for a
 * publish's answer of about 100 bytes: 5 % of all the server allocated at 1,000 publishes/s
 * (bench/RESULTS.md, "Fourth stop of 2026-12-02"). The text of a JSON-P value is the same compact
 * JSON the generator writes, made with the provider's pooled buffers. An interceptor rather than a
 * {@code MessageBodyWriter}, as {@link JsonBodyInterceptor} is for requests: which of two equal
 * writers the runtime picks is not specified, and an interceptor that does not proceed decides.
 *
 * <p>It runs last, after every other writer interceptor: it writes the body in the writer's place,
 * so one behind it would never run ({@link CutOffBodyAnswer}'s {@code Connection: close} was lost
 * on WildFly, where the two ran in the other order).
 */
@Provider
@Priority(Integer.MAX_VALUE)
public class JsonResponseInterceptor implements WriterInterceptor {

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    if (!(context.getEntity() instanceof JsonValue json)) {
      context.proceed();
      return;
    }
    context.getOutputStream().write(json.toString().getBytes(StandardCharsets.UTF_8));
  }
}

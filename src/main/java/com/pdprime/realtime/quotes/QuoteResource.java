package com.pdprime.realtime.quotes;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.security.Permissions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/** Quotes over REST. Creating one needs {@code quote:write}. */
@Path("quotes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuoteResource {
  @Inject QuoteService quotes;

  @POST
  @RolesAllowed(Permissions.QUOTE_WRITE)
  public Response create(JsonObject body) {
    Optional<String> subject = text(body, "customerSubject");
    Optional<String> name = text(body, "customerName");
    if (subject.isEmpty()) {
      return ApiError.missingField("customerSubject", "Send the token subject of the customer.");
    }
    if (name.isEmpty()) {
      return ApiError.missingField("customerName", "Send the customer's display name.");
    }
    Quote quote = quotes.create(subject.get(), name.get());
    return Response.status(201)
        .entity(
            Json.createObjectBuilder()
                .add("id", quote.id())
                .add("customerSubject", quote.customer().subject())
                .add("status", quote.status())
                .build())
        .build();
  }

  private static Optional<String> text(JsonObject body, String field) {
    return body != null && body.get(field) instanceof JsonString s && !s.getString().isBlank()
        ? Optional.of(s.getString())
        : Optional.empty();
  }
}

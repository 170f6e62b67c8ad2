package com.pdprime.realtime.admin;

import com.pdprime.realtime.admin.AdminAudit.Outcome;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.ClientAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * Carries out an admin action over REST and records how it ended, whichever way: {@code SUCCEEDED}
 * with what was done, {@code REFUSED} with the code the admin got, {@code FAILED} with the error
 * (which then still reaches the caller as a 500). No admin action answers before its audit row is
 * written.
 */
@ApplicationScoped
public class AuditedActions {
  /** The column holds 4000; a refusal's message or an error is cut to fit rather than fail. */
  static final int MAX_DETAILS_CHARS = 4000;

  /** The column holds 200; a refused request may name something longer (a made-up subject). */
  static final int MAX_RESOURCE_CHARS = 200;

  @Inject AdminAudit audit;
  @Inject ClientAddresses addresses;

  /** A carried-out action: its answer, the resource it acted on and what the audit row says. */
  public record Done(Response response, String resource, String details) {}

  /** The action itself; it throws {@link Refusal} for anything the admin can correct. */
  public interface Action {
    Done run();
  }

  public Response run(
      Caller admin, HttpServletRequest request, String action, String resource, Action work) {
    resource = bounded(resource, MAX_RESOURCE_CHARS);
    Optional<String> address = addresses.of(request);
    if (address.isEmpty()) {
      Refusal refused =
          new Refusal(
              400,
              "FORWARDED_FOR_INVALID",
              "the trusted proxy forwarded an X-Forwarded-For entry that is not an IP address",
              "Fix the reverse proxy's X-Forwarded-For header.");
      audit.record(admin, action, resource, Outcome.REFUSED, null, refused.summary());
      return refused.response();
    }
    Done done;
    try {
      done = work.run();
    } catch (Refusal refused) {
      audit.record(
          admin,
          action,
          resource,
          Outcome.REFUSED,
          address.get(),
          bounded(refused.summary(), MAX_DETAILS_CHARS));
      return refused.response();
    } catch (RuntimeException failed) {
      try {
        audit.record(
            admin,
            action,
            resource,
            Outcome.FAILED,
            address.get(),
            bounded(failed.toString(), MAX_DETAILS_CHARS));
      } catch (RuntimeException auditFailed) {
        failed.addSuppressed(auditFailed);
      }
      throw failed;
    }
    audit.record(
        admin,
        action,
        bounded(done.resource(), MAX_RESOURCE_CHARS),
        Outcome.SUCCEEDED,
        address.get(),
        bounded(done.details(), MAX_DETAILS_CHARS));
    return done.response();
  }

  private static String bounded(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}

package com.pdprime.realtime.admin;

import com.pdprime.realtime.monitoring.Alert;
import com.pdprime.realtime.monitoring.AlertProblem;
import com.pdprime.realtime.monitoring.SystemAlerts;
import com.pdprime.realtime.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What an admin does to an alert over the socket: acknowledge or resolve, each audited (refusals
 * too) with where it came from. REST goes through {@link AuditedActions} instead ({@link
 * AlertResource}), which answers in HTTP terms.
 */
@ApplicationScoped
public class AlertActions {
  static final String ACKNOWLEDGE = "alert.acknowledge";
  static final String RESOLVE = "alert.resolve";

  @Inject SystemAlerts alerts;
  @Inject AdminAudit audit;

  public Alert acknowledge(Caller admin, long alertId, String clientAddress, String via)
      throws AlertProblem {
    try {
      Alert acknowledged = alerts.acknowledge(alertId, admin.subject());
      audit.record(
          admin, ACKNOWLEDGE, resource(alertId), AdminAudit.Outcome.SUCCEEDED, clientAddress, via);
      return acknowledged;
    } catch (AlertProblem problem) {
      refused(admin, ACKNOWLEDGE, alertId, clientAddress, via, problem);
      throw problem;
    }
  }

  public Alert resolve(Caller admin, long alertId, String clientAddress, String via)
      throws AlertProblem {
    try {
      Alert resolved = alerts.resolve(alertId, admin.subject());
      audit.record(
          admin, RESOLVE, resource(alertId), AdminAudit.Outcome.SUCCEEDED, clientAddress, via);
      return resolved;
    } catch (AlertProblem problem) {
      refused(admin, RESOLVE, alertId, clientAddress, via, problem);
      throw problem;
    }
  }

  /** An alert command refused before it reached the alert (wrong socket, missing permission). */
  public void refused(
      Caller caller, String action, String alertId, String clientAddress, String why) {
    audit.record(
        caller, action, "alert:" + alertId, AdminAudit.Outcome.REFUSED, clientAddress, why);
  }

  private void refused(
      Caller admin,
      String action,
      long alertId,
      String clientAddress,
      String via,
      AlertProblem problem) {
    audit.record(
        admin,
        action,
        resource(alertId),
        AdminAudit.Outcome.REFUSED,
        clientAddress,
        via + ": " + problem.kind() + " " + problem.getMessage());
  }

  static String resource(long alertId) {
    return "alert:" + alertId;
  }
}

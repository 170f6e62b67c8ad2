package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code admin_activity_logs}, the rows {@link AdminAudit} writes, with who did each. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class ActivityLog {
  @PersistenceContext EntityManager em;

  /** One page of {@code query} as JSON entries, plus one more when a next page exists. */
  public List<Entry> page(ActivityQuery query) {
    List<String> where = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    if (query.admin() != null) {
      where.add("u.subject = ?");
      values.add(query.admin());
    }
    if (query.action() != null) {
      where.add("l.action = ?");
      values.add(query.action());
    }
    if (query.after() != null) {
      where.add("l.id < ?");
      values.add(query.after());
    }
    // Native SQL: the log is written natively too (AdminAudit), and has no entity.
    Query select =
        em.createNativeQuery(
                "SELECT l.id, u.subject, u.display_name, l.action, l.target, l.outcome,"
                    + " l.ip_address, l.occurred_at, l.details"
                    + " FROM admin_activity_logs l JOIN admin_users u ON u.id = l.admin_user_id"
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY l.id DESC")
            .setMaxResults(query.limit() + 1);
    for (int i = 0; i < values.size(); i++) {
      select.setParameter(i + 1, values.get(i));
    }
    List<Entry> entries = new ArrayList<>();
    for (Object result : select.getResultList()) {
      entries.add(entry((Object[]) result));
    }
    return entries;
  }

  /** One row: its id (the paging cursor) and its JSON. */
  public record Entry(long id, JsonObject json) {}

  private static Entry entry(Object[] row) {
    long id = ((Number) row[0]).longValue();
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("id", id)
            .add(
                "by",
                JSON.createObjectBuilder()
                    .add("subject", (String) row[1])
                    .add("name", (String) row[2]))
            .add("action", (String) row[3]);
    nullable(json, "resource", (String) row[4]);
    json.add("outcome", (String) row[5]);
    nullable(json, "ip", (String) row[6]);
    json.add("at", ((Timestamp) row[7]).toInstant().toString());
    nullable(json, "details", (String) row[8]);
    return new Entry(id, json.build());
  }

  private static void nullable(JsonObjectBuilder json, String name, String value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }
}

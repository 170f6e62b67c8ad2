package com.pdprime.realtime.quotes;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/**
 * Whether a subject is a customer, and the US state they live in as far as the platform knows: the
 * {@code state} field of their latest quote that has one (customers have no address of their own
 * yet). Notifications use it to find a customer's time zone.
 */
@Stateless
public class CustomerLocations {
  @PersistenceContext EntityManager em;

  /** A customer, with their state or null; empty when the subject is no customer. */
  public record CustomerLocation(String subject, String usState) {}

  public Optional<CustomerLocation> find(String subject) {
    boolean customer =
        !em.createQuery("SELECT c.id FROM Customer c WHERE c.subject = :subject")
            .setParameter("subject", subject)
            .setMaxResults(1)
            .getResultList()
            .isEmpty();
    if (!customer) {
      return Optional.empty();
    }
    String state =
        em.createQuery(
                "SELECT q.usState FROM Quote q WHERE q.customer.subject = :subject"
                    + " AND q.usState IS NOT NULL ORDER BY q.createdAt DESC",
                String.class)
            .setParameter("subject", subject)
            .setMaxResults(1)
            .getResultStream()
            .findFirst()
            .orElse(null);
    return Optional.of(new CustomerLocation(subject, state));
  }
}

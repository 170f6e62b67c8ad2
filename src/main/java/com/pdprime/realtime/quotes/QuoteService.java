package com.pdprime.realtime.quotes;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Creates and finds quotes. */
@Stateless
public class QuoteService {
  @PersistenceContext EntityManager em;

  public Quote create(String customerSubject, String customerName) {
    Customer customer =
        em.createQuery("SELECT c FROM Customer c WHERE c.subject = :subject", Customer.class)
            .setParameter("subject", customerSubject)
            .getResultStream()
            .findFirst()
            .orElseGet(
                () -> {
                  Customer created =
                      new Customer(
                          UUID.randomUUID().toString(), customerSubject, customerName, Instant.now());
                  em.persist(created);
                  return created;
                });
    Quote quote = new Quote(UUID.randomUUID().toString(), customer, "DRAFT", Instant.now());
    em.persist(quote);
    return quote;
  }

  public Optional<Quote> find(String id) {
    return Optional.ofNullable(em.find(Quote.class, id));
  }
}

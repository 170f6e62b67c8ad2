package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Demo data for a fresh development server: quotes created over the last 7 days by six demo agents,
 * in the states where most people live, about two thirds of them priced and a third of those bound,
 * so every dashboard has something to show. Runs only in development mode and only into an empty
 * quotes table; asked for outside development mode, it stops the start instead.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class DemoQuotes {
  private static final Logger LOG = Logger.getLogger(DemoQuotes.class.getName());
  private static final List<String> STATES =
      List.of(
          "CA", "CA", "CA", "TX", "TX", "FL", "FL", "NY", "NY", "PA", "IL", "OH", "GA", "NC", "MI",
          "NJ", "VA", "WA", "AZ", "MA", "TN", "CO", "OR", "NV");
  private static final int AGENTS = 6;
  private static final Duration SPREAD = Duration.ofDays(7);

  @PersistenceContext EntityManager em;

  @Inject
  @ConfigProperty(name = "realtime.demo.quotes")
  int count;

  @Inject
  @ConfigProperty(name = "realtime.dev.mode")
  boolean developmentMode;

  @PostConstruct
  void seed() {
    if (count == 0) {
      return;
    }
    if (!developmentMode) {
      throw new IllegalStateException(
          "realtime.demo.quotes="
              + count
              + " but realtime.dev.mode is not true: demo quotes are for development servers;"
              + " set realtime.demo.quotes=0");
    }
    long existing = em.createQuery("SELECT COUNT(q) FROM Quote q", Long.class).getSingleResult();
    if (existing > 0) {
      LOG.info("demo quotes: not created, the quotes table already holds " + existing);
      return;
    }
    // A fixed seed: every fresh server shows the same demo, shifted to its own start time.
    Random random = new Random(20261130L);
    Instant now = Instant.now();
    int customers = Math.max(1, count * 4 / 5);
    for (int i = 0; i < count; i++) {
      Instant created = now.minusSeconds((long) (random.nextDouble() * SPREAD.toSeconds()));
      int customer = random.nextInt(customers);
      String agent = "demo-agent-" + (1 + random.nextInt(AGENTS));
      Quote quote =
          new Quote(
              UUID.randomUUID().toString(),
              customer(customer, created),
              QuoteStatus.DRAFT.name(),
              created,
              agent);
      em.persist(quote);
      String state = STATES.get(random.nextInt(STATES.size()));
      for (String path : FieldCatalog.allPaths()) {
        QuoteField field = new QuoteField(quote.id(), path);
        if (FieldCatalog.STATE.equals(path)) {
          field.set(JSON.createValue(state).toString(), agent, created);
        }
        em.persist(field);
      }
      quote.locatedIn(state);
      if (random.nextDouble() < 0.65) {
        price(quote, random, created, now);
      }
    }
    LOG.info("demo quotes: created " + count + " over the last " + SPREAD.toDays() + " days");
  }

  private Customer customer(int number, Instant created) {
    String subject = "demo-customer-" + number;
    return em.createQuery("SELECT c FROM Customer c WHERE c.subject = :subject", Customer.class)
        .setParameter("subject", subject)
        .getResultStream()
        .findFirst()
        .orElseGet(
            () -> {
              Customer made =
                  new Customer(
                      UUID.randomUUID().toString(), subject, "Demo Customer " + number, created);
              em.persist(made);
              return made;
            });
  }

  private static void price(Quote quote, Random random, Instant created, Instant now) {
    Instant quoted = min(created.plusSeconds(120 + random.nextInt(90 * 60)), now);
    BigDecimal total =
        BigDecimal.valueOf(600 + random.nextDouble() * 2600).setScale(2, RoundingMode.HALF_UP);
    String breakdown =
        JSON.createObjectBuilder()
            .add("currency", "USD")
            .add("lines", JSON.createArrayBuilder())
            .add("demo", true)
            .build()
            .toString();
    quote.quoted(total, breakdown, quoted, 900 + random.nextInt(900));
    if (random.nextDouble() < 0.45) {
      Instant bound = quoted.plusSeconds(600 + random.nextInt(2 * 24 * 3600));
      if (bound.isBefore(now)) {
        quote.bound(bound);
      }
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}

package com.pdprime.realtime.quotes;

import com.pdprime.realtime.rooms.AccessDecision;
import com.pdprime.realtime.rooms.RoomAccessRule;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomType;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code quote:{id}}: the quote must exist, and the caller is its customer or holds {@code
 * quote:read}. Whether a quote exists is told only to holders of {@code quote:read}; anyone else
 * hears "forbidden" either way, so quote ids cannot be probed.
 */
@ApplicationScoped
public class QuoteRoomRule implements RoomAccessRule {
  @Inject QuoteService quotes;

  @Inject
  @ConfigProperty(name = "realtime.quotes.owners.max-entries")
  int ownersMaxEntries;

  private QuoteOwners owners;

  @PostConstruct
  void start() {
    owners = new QuoteOwners(quotes::customerSubject, ownersMaxEntries);
  }

  @Override
  public RoomType type() {
    return RoomType.QUOTE;
  }

  @Override
  public AccessDecision decide(Caller caller, RoomName room) {
    Optional<String> customer = owners.of(room.key());
    if (customer.isEmpty()) {
      return caller.has(Permissions.QUOTE_READ)
          ? AccessDecision.NOT_FOUND
          : AccessDecision.FORBIDDEN;
    }
    return QuoteAccess.canRead(caller, customer.get())
        ? AccessDecision.GRANTED
        : AccessDecision.FORBIDDEN;
  }
}

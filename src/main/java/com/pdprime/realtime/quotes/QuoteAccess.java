package com.pdprime.realtime.quotes;

import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;

/** Who may do what with a quote: its customer, or agents with the matching permission. */
final class QuoteAccess {
  private QuoteAccess() {}

  static boolean owner(Caller caller, Quote quote) {
    return quote.customer().subject().equals(caller.subject());
  }

  static boolean canRead(Caller caller, Quote quote) {
    return canRead(caller, quote.customer().subject());
  }

  /** {@link #canRead(Caller, Quote)} for a quote known by its customer's subject alone. */
  static boolean canRead(Caller caller, String customerSubject) {
    return customerSubject.equals(caller.subject()) || caller.has(Permissions.QUOTE_READ);
  }

  static boolean canWrite(Caller caller, Quote quote) {
    return owner(caller, quote) || caller.has(Permissions.QUOTE_WRITE);
  }

  static boolean seesPremium(Caller caller) {
    return caller.has(Permissions.PREMIUM_VIEW);
  }
}

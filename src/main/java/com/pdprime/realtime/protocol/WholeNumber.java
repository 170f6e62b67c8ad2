package com.pdprime.realtime.protocol;

import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.OptionalLong;

/**
 * Reads a client's whole number without ever widening it: {@code 1e2147483647} or a number of
 * thousands of digits must be refused, not expanded into a {@code BigInteger} (which costs memory
 * and time in the exponent, or throws from the provider) and not wrapped by {@code longValue()}.
 */
public final class WholeNumber {
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private WholeNumber() {}

  /**
   * The value if it is an integer from 0 to {@link Long#MAX_VALUE} written as plain digits (no
   * fraction, no exponent).
   */
  public static OptionalLong nonNegative(JsonValue value) {
    if (!(value instanceof JsonNumber number)) {
      return OptionalLong.empty();
    }
    BigDecimal decimal;
    try {
      decimal = number.bigDecimalValue();
    } catch (UnsupportedOperationException | NumberFormatException tooLarge) {
      // Parsson refuses to build numbers past its own size limits.
      return OptionalLong.empty();
    }
    // Scale 0: written as plain digits, as the protocol documents; an exponent or a fraction is
    // refused, so compareTo never meets a huge exponent.
    if (decimal.scale() != 0 || decimal.signum() < 0 || decimal.compareTo(LONG_MAX) > 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(decimal.longValueExact());
  }
}

package com.pdprime.realtime.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which peers may say who the client is. Behind a TLS-terminating reverse proxy the socket's peer
 * is the proxy; the client's address is in {@code X-Forwarded-For}, which anyone can also write.
 * The header is read only when the peer is a trusted proxy, from the right: entries appended by
 * trusted proxies are skipped, and the first untrusted one is the address the outermost trusted
 * proxy saw. Addresses are IP literals or CIDR blocks; nothing is ever resolved through DNS.
 */
public final class TrustedProxies {
  /**
   * Dotted-quad IPv4 or anything with a colon (IPv6): InetAddress parses these itself and never
   * asks DNS, which a hex word such as {@code cafe} would make it do.
   */
  private static final Pattern IP_LITERAL =
      Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]{0,44}");

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  /** Parses {@code 10.0.0.5, 10.1.0.0/16, fd00::/8}; a malformed entry stops the start. */
  public static TrustedProxies parse(List<String> entries) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : entries) {
      String text = entry.trim();
      if (!text.isEmpty()) {
        blocks.add(Block.parse(text));
      }
    }
    return new TrustedProxies(blocks);
  }

  /**
   * The client's address: the peer's, or, when the peer is a trusted proxy, the rightmost address
   * in {@code X-Forwarded-For} that is not a trusted proxy. Empty when a trusted proxy sent an
   * entry that is not an IP address: the caller refuses the request rather than guess.
   */
  public Optional<String> clientAddress(String peer, List<String> forwardedFor) {
    if (!trusts(peer) || forwardedFor.isEmpty()) {
      return Optional.of(peer);
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        hops.add(hop.trim());
      }
    }
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<byte[]> address = literal(hops.get(i));
      if (address.isEmpty()) {
        return Optional.empty();
      }
      client = hops.get(i);
      if (!trusts(address.get())) {
        break;
      }
    }
    return Optional.of(client);
  }

  boolean trusts(String address) {
    return literal(address).map(this::trusts).orElse(false);
  }

  private boolean trusts(byte[] address) {
    return blocks.stream().anyMatch(block -> block.contains(address));
  }

  static Optional<byte[]> literal(String text) {
    if (text == null || !IP_LITERAL.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private record Block(byte[] network, int prefixBits) {
    static Block parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      byte[] network =
          literal(address)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "realtime.proxy.trusted-addresses: '" + text + "' is not an IP address"));
      int bits = network.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > network.length * 8) {
          throw new IllegalStateException(
              "realtime.proxy.trusted-addresses: '" + text + "' has an invalid prefix length");
        }
      }
      return new Block(network, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}

package dev.plainsight.keylog;

import java.util.Set;
import java.util.regex.Pattern;

/** The shape of one NSS key log line and the labels it may carry. */
public final class NssLine {
  /** TLS 1.2 (and earlier): the master secret. */
  public static final String CLIENT_RANDOM = "CLIENT_RANDOM";
  public static final String CLIENT_HANDSHAKE = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
  public static final String SERVER_HANDSHAKE = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
  public static final String CLIENT_TRAFFIC = "CLIENT_TRAFFIC_SECRET_0";
  public static final String SERVER_TRAFFIC = "SERVER_TRAFFIC_SECRET_0";
  public static final String EXPORTER = "EXPORTER_SECRET";

  private static final Set<String> LABELS = Set.of(CLIENT_RANDOM, CLIENT_HANDSHAKE,
      SERVER_HANDSHAKE, CLIENT_TRAFFIC, SERVER_TRAFFIC, EXPORTER, "CLIENT_EARLY_TRAFFIC_SECRET",
      "EARLY_EXPORTER_SECRET");
  private static final Pattern SHAPE =
      Pattern.compile("([A-Z0-9_]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]{64,192})");

  private NssLine() {}

  /** True for {@code LABEL <64 hex digits> <secret in hex>} with a known label. */
  public static boolean isWellFormed(String line) {
    var matcher = SHAPE.matcher(line);
    return matcher.matches() && LABELS.contains(matcher.group(1));
  }
}

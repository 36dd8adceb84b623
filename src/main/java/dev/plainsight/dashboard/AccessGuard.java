package dev.plainsight.dashboard;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The dashboard's front door. Every request must name the dashboard's own address in {@code Host}
 * (no DNS rebinding) and must not come from another site ({@code Origin}, {@code
 * Sec-Fetch-Site}). API routes also need the access token: {@code Authorization: Bearer T}, the
 * cookie, or {@code ?token=T}, which sets the HttpOnly SameSite=Strict cookie.
 */
final class AccessGuard {
  static final String COOKIE = "plainsight_token";

  private final String token;
  private final Set<String> hostNames;
  private final IntSupplier port;

  /** {@code hostNames} are the names and literals (IPv6 in brackets) the dashboard answers to. */
  AccessGuard(String token, Set<String> hostNames, IntSupplier port) {
    this.token = token;
    this.hostNames = Set.copyOf(hostNames);
    this.port = port;
  }

  private boolean isOwnHost(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    String host = hostHeader.toLowerCase(Locale.ROOT);
    return host.endsWith(":" + port.getAsInt())
        && hostNames.contains(host.substring(0, host.lastIndexOf(':')));
  }

  void checkSameSite(Context ctx) {
    String host = ctx.header("Host");
    if (!isOwnHost(host)) {
      throw new ForbiddenResponse("unknown Host: the dashboard answers only to its own address");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
      throw new ForbiddenResponse("cross-origin request refused");
    }
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if ("cross-site".equalsIgnoreCase(fetchSite)) {
      throw new ForbiddenResponse("cross-site request refused");
    }
  }

  void checkToken(Context ctx) {
    String fromQuery = ctx.queryParam("token");
    if (matches(fromQuery)) {
      ctx.header("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
      return;
    }
    if (matches(bearer(ctx.header("Authorization"))) || matches(ctx.cookie(COOKIE))) {
      return;
    }
    throw new UnauthorizedResponse("missing or wrong access token: use the URL Plainsight printed");
  }

  boolean allows(String hostHeader, String tokenParam, String cookie) {
    return isOwnHost(hostHeader) && (matches(tokenParam) || matches(cookie));
  }

  private static String bearer(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return null;
  }

  private boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(
        candidate.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }
}

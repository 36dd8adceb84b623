package dev.plainsight.dashboard;

import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The dashboard's front door. Every request must name the dashboard's own address in {@code Host}
 * (no DNS rebinding) and must not come from another site ({@code Origin}, {@code
 * Sec-Fetch-Site}). API routes also need a token: {@code Authorization: Bearer T}, the
 * cookie, or {@code ?token=T}, which sets the HttpOnly SameSite=Strict cookie. The token is the
 * trainer's access token or a participant link's token; {@link #checkToken} says which as an
 * {@link Access} and attaches it to the request. The link opened last decides the cookie, but
 * only a link the user opened directly or from the dashboard itself, and a participant's link
 * never replaces the trainer's cookie (409).
 */
final class AccessGuard {
  static final String COOKIE = "plainsight_token";

  private final String token;
  private final Set<String> hostNames;
  private final IntSupplier port;
  private final ParticipantLinks links;

  /** {@code hostNames} are the names and literals (IPv6 in brackets) the dashboard answers to. */
  AccessGuard(String token, Set<String> hostNames, IntSupplier port, ParticipantLinks links) {
    this.token = token;
    this.hostNames = Set.copyOf(hostNames);
    this.port = port;
    this.links = links;
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

  /** Who the request's token speaks for (attached to the request); 401 without a good one. */
  Access checkToken(Context ctx) {
    String fromQuery = ctx.queryParam("token");
    Optional<Access> access = access(fromQuery);
    if (access.isPresent()) {
      honourLink(ctx, access.get());
      ctx.header("Set-Cookie", COOKIE + "=" + fromQuery + "; Path=/; HttpOnly; SameSite=Strict");
    } else {
      access = access(bearer(ctx.header("Authorization")))
          .or(() -> access(ctx.cookie(COOKIE)));
    }
    Access found = access.orElseThrow(() -> new UnauthorizedResponse(
        "missing or wrong access token: use the URL Plainsight printed"));
    found.attachTo(ctx);
    return found;
  }

  /**
   * A {@code ?token=} link counts only when the user opened it (typed, pasted, bookmarked:
   * {@code Sec-Fetch-Site: none}, or no such header from a non-browser client) or from the
   * dashboard's own pages ({@code same-origin}); a page of a sibling site cannot swap the cookie.
   * A participant's link never replaces the trainer's cookie in this browser.
   */
  private void honourLink(Context ctx, Access fromLink) {
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if (fetchSite != null && !fetchSite.equalsIgnoreCase("none")
        && !fetchSite.equalsIgnoreCase("same-origin")) {
      throw new ForbiddenResponse("a dashboard link with ?token= works only when opened "
          + "directly (typed, pasted or bookmarked), not from another page");
    }
    if (fromLink.scoped() && access(ctx.cookie(COOKIE)).filter(a -> !a.scoped()).isPresent()) {
      throw new ConflictResponse("this browser is signed in to the dashboard as the trainer: "
          + "open the participant link (" + fromLink.participant() + ") in a private window "
          + "or another browser, so the trainer's access is not replaced");
    }
  }

  /** For the live feed's WebSocket: who may connect, or empty. */
  Optional<Access> accessFor(String hostHeader, String tokenParam, String cookie) {
    if (!isOwnHost(hostHeader)) {
      return Optional.empty();
    }
    return access(tokenParam).or(() -> access(cookie));
  }

  private Optional<Access> access(String candidate) {
    if (matches(candidate)) {
      return Optional.of(Access.TRAINER);
    }
    return links.participant(candidate).map(Access::new);
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

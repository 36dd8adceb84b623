package dev.plainsight.dashboard;

import dev.plainsight.flow.Flow;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;
import java.util.regex.Pattern;

/**
 * Who a dashboard request speaks for: the trainer (the access token Plainsight printed), or one
 * participant (a read-only link, see {@link ParticipantLinks}). {@link AccessGuard} puts it on
 * each API request; routes read it with {@link #of}. A participant may only read: the flow list
 * (forced to their own flows), their own flows, bodies and packet captures (see {@code
 * PcapRoutes}), the connections of their flows, and {@code /api/me} and {@code /api/ca}. Every other route, including any added later, is refused to them (allow-list).
 */
record Access(String participant) {
  static final Access TRAINER = new Access(null);
  private static final String ATTRIBUTE = "plainsight.access";
  private static final Pattern PARTICIPANT_READS = Pattern.compile(
      "/api/(me|ca|connections/\\d+|flows(/\\d+(/(request|response)/body|/pcap)?)?)");

  boolean scoped() {
    return participant != null;
  }

  /** Whether this caller may see the flow: the trainer sees all, a participant their own. */
  boolean sees(Flow flow) {
    return !scoped() || participant.equals(flow.participant());
  }

  void attachTo(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }

  /** Refuses a participant link any API route but its reads (403); pages stay open. */
  void checkRoute(Context ctx) {
    if (scoped() && ctx.path().startsWith("/api/") && (ctx.method() != HandlerType.GET
        || !PARTICIPANT_READS.matcher(ctx.path()).matches())) {
      throw new ForbiddenResponse("this is a read-only participant link: it shows "
          + participant + "'s own flows and nothing else");
    }
  }

  /** The caller of an API route; fails closed if the guard did not run. */
  static Access of(Context ctx) {
    Access access = ctx.attribute(ATTRIBUTE);
    if (access == null) {
      throw new UnauthorizedResponse("missing access token");
    }
    return access;
  }
}

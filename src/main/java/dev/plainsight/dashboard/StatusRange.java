package dev.plainsight.dashboard;

import io.javalin.http.BadRequestResponse;

/**
 * The {@code status} filter of {@code GET /api/flows}: an exact code ("404"), a class ("4xx"),
 * or "none" (flows without a status, such as tunnels and refusals: 0..0 in the store).
 */
record StatusRange(Integer min, Integer max) {
  static final StatusRange ANY = new StatusRange(null, null);

  static StatusRange parse(String text) {
    if (text == null || text.isBlank()) {
      return ANY;
    }
    String value = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (value.equals("none")) {
      return new StatusRange(0, 0);
    }
    if (value.matches("[1-5]xx")) {
      int hundreds = (value.charAt(0) - '0') * 100;
      return new StatusRange(hundreds, hundreds + 99);
    }
    if (value.matches("\\d{3}")) {
      int code = Integer.parseInt(value);
      return new StatusRange(code, code);
    }
    throw new BadRequestResponse("status must be a code (404), a class (4xx) or none");
  }
}

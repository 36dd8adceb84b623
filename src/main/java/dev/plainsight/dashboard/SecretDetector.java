package dev.plainsight.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.Header;
import dev.plainsight.store.ContentDecoder;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Finds the secrets one request gave away, masked at once: form fields (urlencoded and multipart)
 * and JSON fields whose names look like passwords, {@code Authorization: Basic} (the password;
 * the user name is kept masked too) and {@code Bearer}, session-like cookies, and keys in the
 * URL's query. Pure: it reads a whole flow (body bytes included) and holds no state. Bodies are
 * attacker-controlled: at most {@value #MAX_BODY} decoded bytes are read (through the store's
 * {@link ContentDecoder}), at most {@value #MAX_FIELDS} fields or tokens and {@value
 * #MAX_SECRETS} secrets per request, no regular expressions; a body it cannot read yields none.
 */
final class SecretDetector {
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_FIELDS = 500;
  static final int MAX_SECRETS = 20;
  private static final int MAX_JSON_TOKENS = 20_000;
  private static final JsonFactory JSON = new JsonFactory();

  /** What kind of secret; {@link #wire} is the API's name. */
  enum Kind {
    FORM_PASSWORD("form-password"), JSON_PASSWORD("json-password"), BASIC("basic"),
    BEARER("bearer"), COOKIE("cookie"), URL_KEY("url-key");

    final String wire;

    Kind(String wire) {
      this.wire = wire;
    }
  }

  /** One secret found: {@code name} is shown as is (masked already for Basic's user). */
  record Found(Kind kind, String name, Masked masked, long fingerprint) {}

  private SecretDetector() {}

  /** A request carries a body worth reading: a form, multipart or JSON body. */
  static boolean wantsBody(Flow flow) {
    CapturedRequest request = flow.request();
    return request != null && request.body() != null && request.body().size() > 0
        && !mediaType(request.headers()).isEmpty() && bodyKind(mediaType(request.headers())) != 0;
  }

  static List<Found> find(Flow flow) {
    List<Found> found = new ArrayList<>();
    CapturedRequest request = flow.request();
    if (request == null) {
      return found;
    }
    for (Header header : request.headers()) {
      if (header.name().equalsIgnoreCase("Authorization")) {
        authorization(header.value(), found);
      } else if (header.name().equalsIgnoreCase("Cookie")) {
        cookies(header.value(), found);
      }
    }
    String url = flow.url() == null ? request.url() : flow.url();
    if (url != null && url.indexOf('?') >= 0) {
      String query = url.substring(url.indexOf('?') + 1);
      int hash = query.indexOf('#');
      pairs(hash < 0 ? query : query.substring(0, hash), Kind.URL_KEY, found);
    }
    body(request, found);
    return found.size() > MAX_SECRETS ? List.copyOf(found.subList(0, MAX_SECRETS)) : found;
  }

  private static void add(List<Found> found, Kind kind, String name, String value) {
    if (value == null || value.isEmpty() || found.size() >= MAX_SECRETS) {
      return;
    }
    String shownName = name.length() > 64 ? name.substring(0, 63) + "\u2026" : name;
    found.add(new Found(kind, shownName, Masked.of(value), fingerprint(kind, name, value)));
  }

  private static long fingerprint(Kind kind, String name, String value) {
    long h = 1125899906842597L;
    for (String part : new String[] {kind.wire, name, value}) {
      for (int i = 0; i < part.length(); i++) {
        h = 31 * h + part.charAt(i);
      }
      h = 31 * h + 0x1f;
    }
    return h;
  }

  private static void authorization(String value, List<Found> found) {
    String trimmed = value.trim();
    int space = trimmed.indexOf(' ');
    if (space < 0) {
      return;
    }
    String scheme = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
    String credentials = trimmed.substring(space + 1).trim();
    if (scheme.equals("bearer")) {
      add(found, Kind.BEARER, "Authorization", credentials);
    } else if (scheme.equals("basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException notBase64) {
        add(found, Kind.BASIC, "", credentials);
        return;
      }
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? "" : decoded.substring(0, colon);
      String password = colon < 0 ? decoded : decoded.substring(colon + 1);
      add(found, Kind.BASIC, user.isEmpty() ? "" : Masked.of(user).shown(), password);
    }
  }

  private static void cookies(String value, List<Found> found) {
    int count = 0;
    for (String pair : value.split(";", MAX_FIELDS)) {
      if (++count > MAX_FIELDS) {
        return;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = pair.substring(0, eq).trim();
      if (SecretNames.sessionCookie(name)) {
        add(found, Kind.COOKIE, name, pair.substring(eq + 1).trim());
      }
    }
  }

  /** {@code a=1&b=2}: URL query or urlencoded form. */
  private static void pairs(String text, Kind kind, List<Found> found) {
    int count = 0;
    for (String pair : text.split("&", MAX_FIELDS)) {
      if (++count > MAX_FIELDS) {
        return;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = decoded(pair.substring(0, eq));
      boolean secret = kind == Kind.URL_KEY ? SecretNames.urlKeyLike(name)
          : SecretNames.passwordLike(name);
      if (secret) {
        add(found, kind, name, decoded(pair.substring(eq + 1)));
      }
    }
  }

  private static String decoded(String part) {
    try {
      return URLDecoder.decode(part, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      return part;
    }
  }

  static String mediaType(List<Header> headers) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase("Content-Type")) {
        return header.value().trim().toLowerCase(Locale.ROOT);
      }
    }
    return "";
  }

  /** 1 urlencoded, 2 multipart, 3 JSON, 0 none of them. */
  private static int bodyKind(String contentType) {
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    if (type.equals("application/x-www-form-urlencoded")) {
      return 1;
    }
    if (type.equals("multipart/form-data")) {
      return 2;
    }
    return type.endsWith("/json") || type.endsWith("+json") ? 3 : 0;
  }

  private static void body(CapturedRequest request, List<Found> found) {
    if (request.body() == null || request.body().captured().length == 0) {
      return;
    }
    String contentType = mediaType(request.headers());
    int kind = bodyKind(contentType);
    if (kind == 0) {
      return;
    }
    byte[] bytes;
    try {
      bytes = ContentDecoder.decode(request.body().captured(),
          ContentDecoder.codings(request.headers()), MAX_BODY);
    } catch (IOException cannotDecode) {
      return;
    }
    if (bytes.length > MAX_BODY) {
      bytes = java.util.Arrays.copyOf(bytes, MAX_BODY);
    }
    switch (kind) {
      case 1 -> pairs(new String(bytes, StandardCharsets.UTF_8).trim(), Kind.FORM_PASSWORD, found);
      case 2 -> MultipartFields.each(bytes, contentType, MAX_FIELDS, (name, value) -> {
        if (SecretNames.passwordLike(name)) {
          add(found, Kind.FORM_PASSWORD, name, value);
        }
      });
      default -> json(bytes, found);
    }
  }

  private static void json(byte[] bytes, List<Found> found) {
    try (JsonParser parser = JSON.createParser(bytes)) {
      String field = null;
      for (int tokens = 0; tokens < MAX_JSON_TOKENS; tokens++) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          return;
        }
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
          continue;
        }
        if (field != null && (token == JsonToken.VALUE_STRING || token.isNumeric())
            && SecretNames.passwordLike(field)) {
          add(found, Kind.JSON_PASSWORD, field, parser.getText());
        }
        field = null;
      }
    } catch (IOException | RuntimeException notJson) {
      // what was read up to the bad token counts
    }
  }
}

package dev.plainsight.dashboard;

import java.util.Locale;
import java.util.Set;

/**
 * Which names look like secrets, without regular expressions: a name is lower-cased and reduced to
 * its letters and digits ({@code api_key}, {@code Api-Key} and {@code apikey} are the same), then
 * compared with fixed words. Password-like (form and JSON fields), URL keys (query parameters) and
 * session-like cookies (not every cookie: {@code theme} or {@code _ga} would flood the wall).
 */
final class SecretNames {
  private static final Set<String> PASSWORD_EXACT = Set.of("pass", "pin", "pincode", "pw", "pword");
  private static final String[] PASSWORD_PARTS = {"passw", "passphrase", "passcode", "pwd", "secret"};
  private static final Set<String> URL_EXACT = Set.of("key", "auth", "token", "apikey", "apitoken",
      "accesstoken", "authtoken", "idtoken", "refreshtoken", "authorization", "sessionid", "sid",
      "session", "accesskey", "privatekey");
  private static final String[] COOKIE_PARTS = {"sess", "auth", "token", "jwt", "login",
      "remember", "credential", "secret"};

  private SecretNames() {}

  static String normal(String name) {
    StringBuilder out = new StringBuilder(Math.min(name.length(), 64));
    for (int i = 0; i < name.length() && out.length() < 64; i++) {
      char c = Character.toLowerCase(name.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.append(c);
      }
    }
    return out.toString();
  }

  static boolean passwordLike(String name) {
    String n = normal(name);
    if (PASSWORD_EXACT.contains(n) || n.endsWith("pass")) {
      return true;
    }
    for (String part : PASSWORD_PARTS) {
      if (n.contains(part)) {
        return true;
      }
    }
    return false;
  }

  static boolean urlKeyLike(String name) {
    String n = normal(name);
    if (n.contains("csrf") || n.contains("xsrf")) {
      return false;
    }
    return URL_EXACT.contains(n) || n.endsWith("apikey") || n.endsWith("token")
        || passwordLike(name);
  }

  static boolean sessionCookie(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("csrf") || n.contains("xsrf")) {
      return false;
    }
    String letters = normal(name);
    if (letters.equals("sid") || letters.endsWith("sid")) {
      return true;
    }
    for (String part : COOKIE_PARTS) {
      if (letters.contains(part)) {
        return true;
      }
    }
    return false;
  }
}

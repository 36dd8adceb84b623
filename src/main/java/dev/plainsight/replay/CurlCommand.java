package dev.plainsight.replay;

import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.Header;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A captured request as one POSIX shell command line that makes curl send it again directly (not
 * through the proxy), as browsers' "Copy as cURL" does. Every argument is single-quoted. A text
 * body goes in {@code --data-binary}; a body with bytes a shell argument cannot carry (NUL,
 * control characters, invalid UTF-8) is piped in from {@code printf} with octal escapes.
 */
public final class CurlCommand {
  private CurlCommand() {}

  public static String of(CapturedRequest request) {
    ReplayRequest replay = new ReplayRequest(request.method(), request.url(), request.headers(),
        request.body().captured());
    String command = of(replay);
    if (request.body().truncated()) {
      return "# only " + request.body().captured().length + " of " + request.body().size()
          + " body bytes were captured: this command sends the captured part\n" + command;
    }
    return command;
  }

  public static String of(ReplayRequest request) {
    List<String> args = new ArrayList<>();
    args.add("curl");
    byte[] body = request.body();
    String method = request.method();
    if (method.equals("HEAD")) {
      args.add("--head");
    } else if (!(method.equals("GET") && body.length == 0)
        && !(method.equals("POST") && body.length > 0)) {
      args.add("-X");
      args.add(quote(method));
    }
    if (request.url().matches(".*[\\[\\]{}].*")) {
      args.add("--globoff");
    }
    args.add(quote(request.url()));
    for (Header header : request.sendableHeaders()) {
      args.add("-H");
      args.add(quote(header.name() + ": " + header.value()));
    }
    String pipe = "";
    if (body.length > 0) {
      String text = shellSafeText(body);
      args.add("--data-binary");
      if (text != null) {
        args.add(quote(text));
      } else {
        args.add("@-");
        pipe = "printf " + quote(printfOctal(body)) + " | ";
      }
    }
    return pipe + String.join(" ", args);
  }

  /** The argument in single quotes; a single quote inside becomes {@code '\''}. */
  public static String quote(String argument) {
    return "'" + argument.replace("'", "'\\''") + "'";
  }

  /** The body as text when it is UTF-8 with no control characters but tab, CR and LF. */
  static String shellSafeText(byte[] body) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        return null;
      }
    }
    return text;
  }

  /** A printf format that prints exactly these bytes: printable ASCII as is, the rest as \ooo. */
  static String printfOctal(byte[] body) {
    StringBuilder out = new StringBuilder(body.length * 2);
    for (byte b : body) {
      int v = b & 0xff;
      if (v >= 0x20 && v < 0x7f && v != '\\' && v != '%' && v != '\'') {
        out.append((char) v);
      } else {
        out.append('\\').append(String.format("%03o", v));
      }
    }
    return out.toString();
  }
}

package dev.plainsight.tamper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.Modification;
import dev.plainsight.tamper.TamperRule.Part;
import dev.plainsight.tamper.TamperRule.Phase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules, header and body rewrites, without sockets. */
class RewriteTest {
  static TamperRule rule(Phase phase, Part part, String match, String replace, boolean regex) {
    return new TamperRule("r", true, "*", phase, part, match, replace, regex);
  }

  @Test
  void aHeaderLineThatBecomesEmptyRemovesTheHeaderAndNewLinesAddHeaders() {
    List<Header> headers = List.of(new Header("Host", "a.example"), new Header("Cookie", "id=1"));
    HeaderRewrite.Result removed = HeaderRewrite.apply(List.of(
        rule(Phase.REQUEST, Part.HEADER, "^Cookie: .*$", "", true)), headers);
    assertEquals(List.of(new Header("Host", "a.example")), removed.headers());
    assertTrue(removed.changed());

    HeaderRewrite.Result added = HeaderRewrite.apply(List.of(
        rule(Phase.REQUEST, Part.HEADER, "Host: a.example", "Host: a.example\nX-Extra: 1", false)),
        headers);
    assertEquals(List.of(new Header("Host", "a.example"), new Header("X-Extra", "1"),
        new Header("Cookie", "id=1")), added.headers());
    assertEquals("Host: a.example\nCookie: id=1\n", added.modifications().get(0).before());
  }

  @Test
  void aReplacementThatIsNotAHeaderLineIsNotAppliedAndSaysWhy() {
    List<Header> headers = List.of(new Header("Accept", "*/*"));
    HeaderRewrite.Result result = HeaderRewrite.apply(List.of(
        rule(Phase.REQUEST, Part.HEADER, "Accept: */*", "no colon here", false)), headers);
    assertEquals(headers, result.headers());
    Modification note = result.modifications().get(0);
    assertFalse(note.changed());
    assertTrue(note.note().contains("not a header line"), note.note());
  }

  @Test
  void aBodyIsRewrittenInItsDeclaredCharset() {
    byte[] latin1 = "<body>café</body>".getBytes(StandardCharsets.ISO_8859_1);
    List<Header> headers = List.of(new Header("Content-Type", "text/html; charset=ISO-8859-1"));
    BodyRewrite.Result result = BodyRewrite.apply(List.of(
        rule(Phase.RESPONSE, Part.BODY, "café", "thé", false)), latin1, headers);
    assertArrayEquals("<body>thé</body>".getBytes(StandardCharsets.ISO_8859_1), result.body());
    assertEquals("<body>café</body>", result.modifications().get(0).before());
  }

  @Test
  void bytesThatAreNotTextInTheirCharsetAreLeftAlone() {
    byte[] notUtf8 = {'<', (byte) 0xff, (byte) 0xfe, '>'};
    BodyRewrite.Result result = BodyRewrite.apply(List.of(
        rule(Phase.RESPONSE, Part.BODY, "<", "[", false)), notUtf8, List.of());
    assertArrayEquals(notUtf8, result.body());
    assertTrue(result.modifications().get(0).note().contains("not valid UTF-8"));
  }

  @Test
  void compressedImagesAndHugeBodiesAreRefusedBeforeAnyByteIsHeld() {
    assertTrue(BodyRewrite.refusal(List.of(new Header("Content-Encoding", "br")), 10).isPresent());
    assertTrue(BodyRewrite.refusal(List.of(new Header("Content-Type", "image/png")), 10).isPresent());
    assertTrue(BodyRewrite.refusal(List.of(), BodyRewrite.MAX_BODY + 1L).isPresent());
    assertFalse(BodyRewrite.refusal(List.of(new Header("Content-Type", "application/json")), 10)
        .isPresent());
  }

  @Test
  void aRegexReplacementMayUseGroups() {
    TamperRule swap = rule(Phase.RESPONSE, Part.BODY, "(\\w+)@(\\w+)", "$2 at $1", true);
    assertEquals("example at alice", swap.apply("alice@example"));
  }

  @Test
  void longTextsAreCutToTheSameWindowAroundTheFirstChange() {
    String before = "a".repeat(50_000) + "<body>" + "b".repeat(50_000);
    String after = before.replace("<body>", "<body>BANNER");
    Excerpt excerpt = Excerpt.of(before, after);
    assertTrue(excerpt.before().startsWith("…") && excerpt.before().contains("<body>bbb"));
    assertTrue(excerpt.after().contains("<body>BANNERbbb"));
    assertTrue(excerpt.after().length() < Excerpt.MAX_CHARS + 100);
  }

  @Test
  void rulesAreValidatedWithMessagesThatNameThem() {
    assertEquals("rule \"x\": match is required (the text to find)", assertThrows(
        IllegalArgumentException.class, () -> new TamperRule("x", true, "*", Phase.RESPONSE,
            Part.BODY, "", "y", false)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TamperRule("req", true, "*",
        Phase.REQUEST, Part.BODY, "a", "b", false)).getMessage().contains("request bodies cannot"));
    assertThrows(IllegalArgumentException.class, () -> TamperRules.inMemory().replace(List.of(
        rule(Phase.RESPONSE, Part.BODY, "a", "b", false), rule(Phase.RESPONSE, Part.BODY, "c", "d", false))));
  }

  @Test
  void onlyEnabledRulesForAMatchingHostApply() throws Exception {
    TamperRules rules = TamperRules.inMemory();
    rules.replace(TamperRules.parse(new ObjectMapper().readTree("[{\"name\":\"on\",\"host\":\"*.shop.example\","
        + "\"phase\":\"response\",\"part\":\"body\",\"match\":\"a\"},{\"name\":\"off\",\"enabled\":false,"
        + "\"phase\":\"response\",\"part\":\"body\",\"match\":\"a\"}]")));
    assertEquals(List.of("on"), rules.forExchange("WWW.Shop.Example", Phase.RESPONSE, Part.BODY)
        .stream().map(TamperRule::name).toList());
    assertTrue(rules.noneFor("shop.example", Phase.RESPONSE));
    assertTrue(rules.noneFor("www.shop.example", Phase.REQUEST));
  }

  @Test
  void rulesAreKeptInTheirFileAndReadBack(@TempDir Path dir) {
    Path file = dir.resolve(TamperRules.FILE_NAME);
    TamperRules.load(file).replace(List.of(new TamperRule("banner", false, "10.0.*",
        Phase.RESPONSE, Part.BODY, "<body>", "<body>hi", false)));
    assertEquals(List.of(new TamperRule("banner", false, "10.0.*", Phase.RESPONSE, Part.BODY,
        "<body>", "<body>hi", false)), TamperRules.load(file).all());
  }

  @Test
  void theIssuesCatastrophicRuleEndsAtOnceAndTheBodyPassesUnchanged() {
    byte[] body = "a".repeat(30).getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    BodyRewrite.Result result = BodyRewrite.apply(List.of(
        rule(Phase.RESPONSE, Part.BODY, "(.*a){12}X", "y", true)), body, List.of());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertArrayEquals(body, result.body());
    assertTrue(millis < 2_000, "took " + millis + " ms (a backtracking engine takes seconds)");
  }

  @Test
  void aRuleThatRunsOutOfTimeIsNotedAndTheBodyPassesUnchanged() {
    // linear per search, but replace-all searches again after every match: quadratic without
    // the budget (RE2/J alone took 13 s on this)
    byte[] body = "a".repeat(20_000).getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    BodyRewrite.Result result = BodyRewrite.apply(List.of(
        new TamperRule("first", true, "*", Phase.RESPONSE, Part.BODY, "a", "b", false),
        new TamperRule("slow", true, "*", Phase.RESPONSE, Part.BODY, "b(.*z)?", "c", true)),
        body, List.of());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertArrayEquals(body, result.body(), "nothing applied, not even the rule before");
    assertTrue(millis < 3_000, "took " + millis + " ms");
    assertEquals(List.of("first", "slow"),
        result.modifications().stream().map(Modification::rule).toList());
    assertFalse(result.modifications().get(1).changed());
    assertTrue(result.modifications().get(1).note().startsWith("the rule timed out"),
        result.modifications().get(1).note());
    assertTrue(result.modifications().get(0).note().contains("\"slow\" timed out"),
        result.modifications().get(0).note());
  }

  @Test
  void aHeaderRuleThatRunsOutOfTimeLeavesTheHeadersAlone() {
    List<Header> headers = List.of(new Header("X-Long", "a".repeat(20_000)));
    HeaderRewrite.Result result = HeaderRewrite.apply(List.of(
        rule(Phase.REQUEST, Part.HEADER, "a(.*z)?", "c", true)), headers);
    assertTrue(headers.equals(result.headers()), "the headers pass unchanged");
    assertFalse(result.changed());
    assertTrue(result.modifications().get(0).note().startsWith("the rule timed out"));
  }

  @Test
  void aRegularExpressionThatNeedsBacktrackingIsRefusedNamingTheRuleAndWhy() {
    for (String match : List.of("(a)\\1", "a(?=b)", "(?<!a)b", "a*+")) {
      String message = assertThrows(IllegalArgumentException.class, () -> new TamperRule("back",
          true, "*", Phase.RESPONSE, Part.BODY, match, "x", true), match).getMessage();
      assertTrue(message.startsWith("rule \"back\": match is not a valid regular expression"),
          message);
      assertTrue(message.contains("no back-references, look-ahead or look-behind"), message);
    }
  }

  @Test
  void replacementsTakeNumberedAndNamedGroupsAndEscapedDollars() {
    assertEquals("<b>", rule(Phase.RESPONSE, Part.BODY, "(?<tag>b)", "<${tag}>", true).apply("b"));
    assertEquals("$1", rule(Phase.RESPONSE, Part.BODY, "(b)", "\\$1", true).apply("b"));
    assertEquals("price: 5 $", rule(Phase.RESPONSE, Part.BODY, "(\\d+) EUR", "$1 $", true)
        .apply("price: 5 EUR"));
    assertEquals("HTTP/1.1", rule(Phase.RESPONSE, Part.HEADER, "(?i)http/1\\.0", "HTTP/1.1", true)
        .apply("http/1.0"));
  }

  @Test
  void aSavedRuleThatIsNoLongerValidIsLeftOutAndTheOthersAreKept(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve(TamperRules.FILE_NAME);
    java.nio.file.Files.writeString(file, "[{\"name\":\"old\",\"phase\":\"response\","
        + "\"part\":\"body\",\"match\":\"(a)\\\\1\",\"regex\":true},{\"name\":\"kept\","
        + "\"phase\":\"response\",\"part\":\"body\",\"match\":\"x\"}]");
    assertEquals(List.of("kept"), TamperRules.load(file).all().stream().map(TamperRule::name)
        .toList());
  }
}

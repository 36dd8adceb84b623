package dev.plainsight.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kind and host lists of a filter: parsing, globs, negation and the errors they give. */
class FilterListsTest {
  @Test
  void aLeadingBangNegatesTheWholeKindList() {
    KindList notErrors = KindList.parse("!error");
    assertFalse(notErrors.test(FlowKind.ERROR));
    assertTrue(notErrors.test(FlowKind.HTTP));
    KindList two = KindList.parse(" http , https-decrypted");
    assertEquals(Set.of(FlowKind.HTTP, FlowKind.HTTPS_DECRYPTED), two.kinds());
    assertFalse(two.test(FlowKind.HTTPS_TUNNEL));
    assertTrue(KindList.parse("").test(FlowKind.ERROR));
  }

  @Test
  void globsMatchWholeHostNamesAndPlainValuesAreContained() {
    HostList list = HostList.parse("*.GoogleAPIs.com,mozilla");
    assertTrue(list.test("update.googleapis.com"));
    assertFalse(list.test("googleapis.com"), "*. needs a label before it");
    assertTrue(list.test("www.MOZILLA.org"));
    assertFalse(list.test(null));
    HostList negated = HostList.parse("!*.googleapis.com,*.mozilla.com");
    assertFalse(negated.test("update.googleapis.com"));
    assertFalse(negated.test("www.mozilla.com"));
    assertTrue(negated.test("www.google.com"));
    assertTrue(negated.test(null), "a flow without a host is none of them");
    assertTrue(HostList.parse("clients?.google.com").test("clients4.google.com"));
    assertFalse(HostList.parse("clients?.google.com").test("clients.google.com"));
    assertTrue(HostList.parse("[::1]").test("::1"));
  }

  @Test
  void theLikePatternEscapesSqlWildcards() {
    assertEquals("%x\\_y%", HostPattern.filterValue("x_y").like());
    assertEquals("%.example", HostPattern.filterValue("*.example").like());
    assertEquals("a_c.test", HostPattern.glob("a?c.test").like());
  }

  @Test
  void malformedValuesSayWhatIsAccepted() {
    assertEquals("host: \"a b\" is not a host name or glob: use letters, digits, '.', '-', '_', "
        + "':', and * or ? as wildcards",
        assertThrows(IllegalArgumentException.class, () -> HostList.parse("a b")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HostList.parse("a,,b"))
        .getMessage().contains("empty host value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HostList.parse("a,!b"))
        .getMessage().contains("goes first only"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KindList.parse("http,mail"))
        .getMessage().contains("unknown flow kind \"mail\""));
    assertThrows(IllegalArgumentException.class, () -> HostList.ofGlobs(List.of("a/b")));
  }
}

package dev.plainsight.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.ca.RootCa;
import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.flow.Header;
import dev.plainsight.join.Room;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deciders and their list, driven with request heads: no proxy, no sockets. */
class PoliciesTest {
  @TempDir static Path caDir;
  static RootCa ca;

  private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 8080);
  private final ProxyAuth room = ProxyAuth.withRoomPassword("sesame");
  private final PassthroughPolicy passthrough = new PassthroughPolicy(List.of("*.bank.example"));

  @BeforeAll
  static void ca() throws Exception {
    ca = RootCa.loadOrCreate(caDir);
  }

  private Policies standard(ProxyAuth auth, boolean allowPublic) {
    return new Policies(List.of(new ClientAddressPolicy(allowPublic), new ProxyAuthPolicy(auth),
        new MagicHost(new Room(ca)), new PassthroughDecider(passthrough)), null, null, null, null);
  }

  private static Request head(Request.Kind kind, String method, String host, String client,
      String authorization) throws Exception {
    return new Request(kind, method, host, 443, "/", InetAddress.getByName(client), PROXY,
        authorization);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPublicClientIsRefusedBeforeItsCredentialsAreLookedAt() throws Exception {
    Decision decision = standard(room, false).decide(
        head(Request.Kind.CONNECT, "CONNECT", "a.example", "8.8.8.8", basic("ann", "sesame")));
    assertInstanceOf(Verdict.Refuse.class, decision.verdict());
    assertEquals("ClientAddressPolicy", decision.by());
    assertNull(decision.admitted());
  }

  @Test
  void aConnectWithoutCredentialsIsChallengedAndWrongOnesSayWhy() throws Exception {
    Verdict missing = standard(room, false).decide(
        head(Request.Kind.CONNECT, "CONNECT", "a.example", "127.0.0.1", null)).verdict();
    assertNull(((Verdict.Challenge) missing).rejection());
    Verdict wrong = standard(room, false).decide(head(Request.Kind.CONNECT, "CONNECT",
        "a.example", "127.0.0.1", basic("ann", "nope"))).verdict();
    assertEquals("wrong room password for user \"ann\"", ((Verdict.Challenge) wrong).rejection());
  }

  @Test
  void goodCredentialsAdmitTheParticipantAndPassthroughThenDecides() throws Exception {
    Decision bank = standard(room, false).decide(head(Request.Kind.CONNECT, "CONNECT",
        "www.bank.example", "10.0.0.7", basic("ann", "sesame")));
    assertInstanceOf(Verdict.Tunnel.class, bank.verdict());
    assertEquals("ann", bank.admitted().participant());
    Decision other = standard(room, false).decide(head(Request.Kind.CONNECT, "CONNECT",
        "shop.example", "10.0.0.7", basic("ann", "sesame")));
    assertInstanceOf(Verdict.Intercept.class, other.verdict());
  }

  @Test
  void requestsInsideAConnectInheritItsDecisionAndAreForwarded() throws Exception {
    Decision decision = standard(room, false).decide(
        head(Request.Kind.DECRYPTED, "GET", MagicHost.NAME, "127.0.0.1", null));
    assertEquals(Verdict.PASS, decision.verdict());
    assertNull(decision.admitted());
  }

  @Test
  void theMagicHostAnswersPlainRequestsWithoutCredentials() throws Exception {
    Request pem = new Request(Request.Kind.PLAIN, "GET", "PlainSight", 80, "/ca.pem?x=1",
        InetAddress.getLoopbackAddress(), PROXY, null);
    Verdict.Answer answer = (Verdict.Answer) standard(room, false).decide(pem).verdict();
    assertEquals(200, answer.status());
    assertEquals(ca.certificatePem(), new String(answer.body(), StandardCharsets.US_ASCII));
    assertEquals(new Header("content-type", "application/x-pem-file"), answer.headers().get(0));
  }

  @Test
  void theMagicHostServesThePacFileForTheAddressTheClientReached() throws Exception {
    Request pac = new Request(Request.Kind.INSIDE_PLAIN_CONNECT, "GET", "plainsight", 80,
        "/proxy.pac", InetAddress.getLoopbackAddress(), PROXY, null);
    Verdict.Answer answer = (Verdict.Answer) standard(ProxyAuth.none(), false).decide(pac)
        .verdict();
    assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains("127.0.0.1:8080"));
    Request unknown = new Request(Request.Kind.PLAIN, "GET", "plainsight", 80, "/nothing",
        InetAddress.getLoopbackAddress(), PROXY, null);
    assertEquals(404, ((Verdict.Answer) standard(ProxyAuth.none(), false).decide(unknown)
        .verdict()).status());
  }

  @Test
  void aConnectToTheMagicHostNeedsCredentials() throws Exception {
    Verdict verdict = standard(room, false).decide(
        head(Request.Kind.CONNECT, "CONNECT", MagicHost.NAME, "127.0.0.1", null)).verdict();
    assertInstanceOf(Verdict.Challenge.class, verdict);
  }

  @Test
  void anAddedDeciderRunsBeforeThePassthroughDecision() throws Exception {
    List<String> seen = new ArrayList<>();
    Policies policies = standard(ProxyAuth.none(), false).with(request -> {
      seen.add(request.host());
      return request.host().endsWith(".blocked") ? new Verdict.Refuse("blocked") : Verdict.PASS;
    });
    assertInstanceOf(Verdict.Refuse.class, policies.decide(
        head(Request.Kind.CONNECT, "CONNECT", "x.blocked", "127.0.0.1", null)).verdict());
    assertInstanceOf(Verdict.Intercept.class, policies.decide(
        head(Request.Kind.CONNECT, "CONNECT", "x.example", "127.0.0.1", null)).verdict());
    assertEquals(List.of("x.blocked", "x.example"), seen);
  }

  @Test
  void aDeciderThatBreaksTheContractRefusesTheRequestNamingIt() throws Exception {
    Decider broken = request -> {
      throw new IllegalStateException("boom");
    };
    Decision decision = standard(ProxyAuth.none(), false).with(broken).decide(
        head(Request.Kind.PLAIN, "GET", "a.example", "127.0.0.1", null));
    Verdict.Refuse refusal = (Verdict.Refuse) decision.verdict();
    assertTrue(refusal.reason().contains("boom"), refusal.reason());
    Decision silent = standard(ProxyAuth.none(), false).with(request -> null).decide(
        head(Request.Kind.PLAIN, "GET", "a.example", "127.0.0.1", null));
    assertTrue(((Verdict.Refuse) silent.verdict()).reason().contains("returned no verdict"));
  }

  @Test
  void withAuthenticationOffEveryLocalRequestPasses() throws Exception {
    Decision decision = standard(ProxyAuth.none(), false).decide(
        head(Request.Kind.PLAIN, "GET", "a.example", "192.168.1.2", null));
    assertEquals(Verdict.PASS, decision.verdict());
  }

  @Test
  void allowPublicLetsAnyClientThrough() throws Exception {
    assertEquals(Verdict.PASS, new ClientAddressPolicy(true).decide(
        head(Request.Kind.PLAIN, "GET", "a.example", "8.8.8.8", null)));
    assertInstanceOf(Verdict.Refuse.class, new ClientAddressPolicy(false).decide(
        new Request(Request.Kind.PLAIN, "GET", "a.example", 80, "/", null, PROXY, null)));
  }
}

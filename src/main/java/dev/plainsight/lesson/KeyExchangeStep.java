package dev.plainsight.lesson;

import static dev.plainsight.lesson.StepState.CLEAR;
import static dev.plainsight.lesson.StepState.DECRYPTED_BY_PROXY;
import static dev.plainsight.lesson.StepState.DID_NOT_HAPPEN;
import static dev.plainsight.lesson.StepState.FAILED;
import static dev.plainsight.lesson.StepState.REUSED;

import dev.plainsight.lesson.Facts.Failure;
import dev.plainsight.tls.ServerHello;

/**
 * The key-exchange step: the classic story of the tutorials (a premaster secret encrypted with the
 * server's RSA key), whether this very handshake did that, with its real version, suite and group,
 * and what it means for an eavesdropper who records now and steals the server's key later.
 */
final class KeyExchangeStep {
  private static final String ID = "key-exchange";
  private static final String TITLE = "Key exchange";
  static final String CLASSIC = "Beginners' tutorials tell it as RSA key transport: the client "
      + "makes a premaster secret, encrypts it with the RSA public key in the server's certificate "
      + "and sends it. ";

  private KeyExchangeStep() {}

  static LessonStep of(Facts facts) {
    if (facts.handshakeReused()) {
      return LessonStep.same(ID, TITLE, REUSED, Lesson.reusedConnection(facts), "nothing on this flow");
    }
    ServerHello real = facts.realServerHello();
    if (facts.failure() == Failure.UPSTREAM_TLS) {
      return LessonStep.same(ID, TITLE, FAILED, "the proxy abandoned its handshake with the server "
          + "when the certificate failed (" + facts.error() + "): no session keys were made",
          "the hellos' public key shares, if any");
    }
    if (real == null) {
      return LessonStep.same(ID, TITLE, DID_NOT_HAPPEN, "the handshake did not get this far", "-");
    }
    String evidence = CLASSIC + story(real);
    ServerHello clientLeg = facts.clientServerHello();
    if (facts.intercepted() && facts.serverSide != null && clientLeg != null) {
      evidence += " Plainsight ran two separate exchanges: with the client ("
          + describe(clientLeg) + ") and with the server (" + describe(real) + "); it is an "
          + "endpoint of each, which is why it holds both sets of keys.";
    }
    String sees = "the public key shares, never the derived secret";
    if (facts.failure() == Failure.REFUSED && !facts.tls13()) {
      return LessonStep.same(ID, TITLE, FAILED, evidence + " The client refused the certificate "
          + "before sending its own share (ClientKeyExchange).", sees);
    }
    if (facts.intercepted()) {
      return LessonStep.of(ID, TITLE, evidence, CLEAR, sees, DECRYPTED_BY_PROXY,
          "the secrets of its connections: it is an endpoint of each");
    }
    return LessonStep.same(ID, TITLE, CLEAR, evidence, sees);
  }

  /** Whether this handshake told the classic story, and why it matters for forward secrecy. */
  static String story(ServerHello hello) {
    String suite = hello.cipherSuite() == null ? "?" : hello.cipherSuite();
    String version = hello.version() == null ? "?" : hello.version();
    if (suite.startsWith("TLS_RSA_")) {
      return "This handshake did exactly that (" + version + ", " + suite + "). An eavesdropper "
          + "who records it and later steals the server's private key can decrypt the recording: "
          + "no forward secrecy.";
    }
    return "This handshake did not (" + version + ", " + suite + "): it used " + exchange(hello)
        + ". Each side sent a fresh public key share in its hello and both derived the same secret, "
        + "which never crossed the wire; the certificate's key only signed ("
        + (hello.isTls13() ? "CertificateVerify" : "ServerKeyExchange") + "). Forward secrecy: "
        + "stealing the server's key later does not decrypt a recording of this connection.";
  }

  private static String exchange(ServerHello hello) {
    String group = hello.keyShareGroup();
    if (group == null) {
      return "ephemeral (EC)DHE (the group is named in the ServerKeyExchange)";
    }
    if (group.equalsIgnoreCase("X25519MLKEM768")) {
      return "the hybrid X25519MLKEM768: ephemeral x25519 plus ML-KEM-768, a post-quantum key "
          + "encapsulation, so a future quantum computer cannot undo it either";
    }
    return "ephemeral ECDHE over " + group;
  }

  private static String describe(ServerHello hello) {
    String group = hello.keyShareGroup();
    return hello.version() + (group == null ? "" : ", " + group);
  }
}

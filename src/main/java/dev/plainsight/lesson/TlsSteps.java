package dev.plainsight.lesson;

import static dev.plainsight.lesson.StepState.CLEAR;
import static dev.plainsight.lesson.StepState.DECRYPTED_BY_PROXY;
import static dev.plainsight.lesson.StepState.DID_NOT_HAPPEN;
import static dev.plainsight.lesson.StepState.ENCRYPTED;
import static dev.plainsight.lesson.StepState.FAILED;
import static dev.plainsight.lesson.StepState.REUSED;

import dev.plainsight.flow.CertificateSummary;
import dev.plainsight.lesson.Facts.Failure;
import dev.plainsight.tls.CertificateInfo;
import dev.plainsight.tls.ClientHello;
import dev.plainsight.tls.Fingerprints;
import dev.plainsight.tls.Direction;
import dev.plainsight.tls.RecordEntry;
import dev.plainsight.tls.ServerHello;
import dev.plainsight.tls.TlsObservation;
import java.util.List;

/**
 * The TLS steps of a lesson: hello, certificate, finished, application data (key exchange: {@link
 * KeyExchangeStep}). The eavesdropper's state follows the TLS version on the wire alone.
 */
final class TlsSteps {
  private TlsSteps() {}

  static LessonStep hello(Facts facts) {
    if (facts.handshakeReused()) {
      return LessonStep.same("tls-hello", "TLS hello", REUSED, Lesson.reusedConnection(facts),
          "nothing on this flow");
    }
    ClientHello hello = facts.clientHello();
    String sees = "both hellos in clear: the site name (SNI), the offered versions and suites, "
        + "enough to fingerprint the client";
    if (hello == null && facts.failure() == Failure.UPSTREAM_TLS) {
      return LessonStep.same("tls-hello", "TLS hello", CLEAR, "the proxy sent its own ClientHello "
          + "to the server and got its ServerHello; the client's TLS never started (its CONNECT "
          + "got a 502)", "the proxy's and the server's hellos in clear");
    }
    if (hello == null) {
      return LessonStep.same("tls-hello", "TLS hello", DID_NOT_HAPPEN,
          "no ClientHello was seen" + (facts.error().isEmpty() ? "" : ": " + facts.error()), "-");
    }
    StringBuilder evidence = new StringBuilder("ClientHello: SNI ")
        .append(hello.sni() == null ? "(none: the client asked for an IP address)" : hello.sni())
        .append(", ALPN offered ").append(hello.alpn())
        .append(", versions ").append(hello.supportedVersions())
        .append(", ").append(hello.cipherSuites().size()).append(" cipher suites")
        .append(", key shares ").append(hello.keyShareGroups());
    if (hello.echOffered()) {
      evidence.append(", ECH extension present (the real name may be hidden)");
    }
    Fingerprints fingerprints = facts.clientSide.clientHelloRecord() == null ? null
        : Fingerprints.of(facts.clientSide.clientHelloRecord().bytes());
    if (fingerprints != null) {
      evidence.append(". Fingerprint of this ClientHello: JA4 ").append(fingerprints.ja4())
          .append(", JA3 ").append(fingerprints.ja3()).append(": from these alone an eavesdropper "
              + "knows which TLS client this is (the browser, often its version) before a byte "
              + "of content");
    }
    ServerHello server = facts.realServerHello();
    if (server != null) {
      evidence.append(". ServerHello: ").append(server.version()).append(", ")
          .append(server.cipherSuite())
          .append(server.keyShareGroup() == null ? "" : ", group " + server.keyShareGroup());
    }
    if (facts.intercepted()) {
      evidence.append(". The proxy answered the client itself and sent its own hello to the server.");
    }
    return LessonStep.same("tls-hello", "TLS hello", CLEAR, evidence.toString(), sees);
  }

  static LessonStep certificate(Facts facts) {
    if (facts.handshakeReused()) {
      return LessonStep.same("certificate", "Certificate", REUSED, Lesson.reusedConnection(facts),
          "nothing on this flow");
    }
    if (facts.failure() == Failure.UPSTREAM_TLS) {
      return LessonStep.same("certificate", "Certificate", FAILED, "the proxy checked the "
          + "server's certificate and rejected it: " + facts.error() + ". The client was never "
          + "shown a certificate: its CONNECT got a 502.",
          "the server's certificate: in clear under TLS 1.2, encrypted under TLS 1.3");
    }
    TlsObservation client = facts.clientSide;
    ServerHello hello = client == null ? null : client.serverHello();
    if (hello == null) {
      return LessonStep.same("certificate", "Certificate", DID_NOT_HAPPEN,
          "the handshake did not get this far", "-");
    }
    boolean tls13 = hello.isTls13();
    String onTheWire = tls13
        ? "encrypted under TLS 1.3, " + serverFlight(client)
        : "in clear under TLS 1.2" + chainText(client.serverCertificates());
    StepState eavesdropper = tls13 ? ENCRYPTED : CLEAR;
    String eavesdropperSees = tls13 ? "only the sizes of encrypted records" : "the whole chain, in clear";
    if (facts.tunnel()) {
      return LessonStep.same("certificate", "Certificate", eavesdropper,
          "certificate: " + onTheWire, eavesdropperSees);
    }
    CertificateSummary forged = facts.tls() == null ? null : facts.tls().forgedLeaf();
    List<CertificateSummary> real = facts.tls() == null ? List.of() : facts.tls().upstreamChain();
    String evidence = "the client was shown a certificate forged by Plainsight"
        + (forged == null ? "" : " (issuer " + forged.issuer() + ")")
        + (real.isEmpty() ? "" : "; the real server presented " + real.get(0).subject()
            + " issued by " + real.get(0).issuer())
        + ". On the wire: " + onTheWire;
    String proxySees = "both certificates: the forged one it sent and the real one it checked";
    if (facts.failure() == Failure.REFUSED) {
      String refusal = Refusal.of(facts.flow).map(Refusal::sentence).orElse("?");
      return LessonStep.same("certificate", "Certificate", FAILED, evidence
          + ". The client checked the issuer against its trusted roots and refused: it "
          + refusal + ".", eavesdropperSees);
    }
    return LessonStep.of("certificate", "Certificate", evidence, eavesdropper, eavesdropperSees,
        tls13 ? DECRYPTED_BY_PROXY : CLEAR, proxySees);
  }

  static LessonStep finished(Facts facts) {
    if (facts.handshakeReused()) {
      return LessonStep.same("finished", "Finished", REUSED, Lesson.reusedConnection(facts),
          "nothing on this flow");
    }
    if (facts.failure() == Failure.REFUSED || facts.failure() == Failure.UPSTREAM_TLS
        || facts.realServerHello() == null) {
      return LessonStep.same("finished", "Finished", DID_NOT_HAPPEN,
          "the handshake never completed", "-");
    }
    String evidence = "both sides send an encrypted Finished proving they derived the same keys";
    if (facts.tunnel()) {
      return LessonStep.same("finished", "Finished", ENCRYPTED, evidence, "encrypted records only");
    }
    return LessonStep.of("finished", "Finished", evidence, ENCRYPTED, "encrypted records only",
        DECRYPTED_BY_PROXY, "its own Finished on each side");
  }

  static LessonStep applicationData(Facts facts) {
    TlsObservation client = facts.clientSide;
    if (facts.failedInsideTls()) {
      return LessonStep.of("application-data", "Encrypted data", "the request travelled inside "
          + "the client's TLS connection with Plainsight (its records are kept with the "
          + "connection's other flows, not with this error)", ENCRYPTED, "record sizes and timing",
          DECRYPTED_BY_PROXY, "the plaintext HTTP");
    }
    if (facts.failure() == Failure.REFUSED || facts.failure() == Failure.UPSTREAM_TLS
        || client == null) {
      return LessonStep.same("application-data", "Encrypted data", DID_NOT_HAPPEN,
          "no application data was exchanged", "-");
    }
    String totals = "client → server " + client.clientRecords() + " records, "
        + client.clientBytes() + " bytes; server → client " + client.serverRecords()
        + " records, " + client.serverBytes() + " bytes";
    String sees = "record sizes and timing: enough to guess page sizes, not their content";
    if (facts.tunnel()) {
      return LessonStep.same("application-data", "Encrypted data", ENCRYPTED,
          "application data sealed in 0x17 records: " + totals, sees);
    }
    return LessonStep.of("application-data", "Encrypted data",
        "encrypted on both wires, decrypted in the proxy (connection totals so far: " + totals + ")",
        ENCRYPTED, sees, DECRYPTED_BY_PROXY, "the plaintext HTTP");
  }

  /** "in N records, X.Y KB" for the server's first encrypted flight under TLS 1.3. */
  private static String serverFlight(TlsObservation seen) {
    int records = 0;
    long bytes = 0;
    for (RecordEntry record : seen.ladder()) {
      if (record.direction() == Direction.CLIENT_TO_SERVER
          && record.contentType().equals("application_data")) {
        break;
      }
      if (record.direction() == Direction.SERVER_TO_CLIENT
          && record.contentType().equals("application_data")) {
        records++;
        bytes += record.length();
      }
    }
    return records + (records == 1 ? " record, " : " records, ")
        + String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
  }

  private static String chainText(List<CertificateInfo> chain) {
    if (chain.isEmpty()) {
      return "";
    }
    return ": " + chain.get(0).subject() + " issued by " + chain.get(0).issuer();
  }
}

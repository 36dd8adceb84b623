package dev.plainsight.lesson;

import static dev.plainsight.lesson.StepState.CLEAR;
import static dev.plainsight.lesson.StepState.DECRYPTED_BY_PROXY;
import static dev.plainsight.lesson.StepState.DID_NOT_HAPPEN;
import static dev.plainsight.lesson.StepState.ENCRYPTED;

import dev.plainsight.flow.CertificateSummary;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.lesson.Lesson.Facts;
import dev.plainsight.tls.CertificateInfo;
import dev.plainsight.tls.ClientHello;
import dev.plainsight.tls.Direction;
import dev.plainsight.tls.RecordEntry;
import dev.plainsight.tls.ServerHello;
import dev.plainsight.tls.TlsObservation;
import java.util.List;

/** The TLS steps of a lesson: hello, certificate, key exchange, finished, application data. */
final class TlsSteps {
  private TlsSteps() {}

  static LessonStep hello(Facts facts) {
    ClientHello hello = facts.clientHello();
    if (hello == null) {
      return new LessonStep("tls-hello", "TLS hello", DID_NOT_HAPPEN,
          "no ClientHello was seen" + (facts.error().isEmpty() ? "" : ": " + facts.error()), "-", "-");
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
    ServerHello server = facts.realServerHello();
    if (server != null) {
      evidence.append(". ServerHello: ").append(server.version()).append(", ")
          .append(server.cipherSuite())
          .append(server.keyShareGroup() == null ? "" : ", group " + server.keyShareGroup());
    }
    if (facts.intercepted()) {
      evidence.append(". The proxy answered the client itself and sent its own hello to the server.");
    }
    return new LessonStep("tls-hello", "TLS hello", CLEAR, evidence.toString(),
        "both hellos in clear: the site name (SNI), the offered versions and suites, enough to "
            + "fingerprint the client",
        "the same");
  }

  static LessonStep certificate(Facts facts) {
    TlsObservation client = facts.clientSide;
    ServerHello hello = client == null ? null : client.serverHello();
    if (hello == null) {
      return new LessonStep("certificate", "Certificate", DID_NOT_HAPPEN,
          "the handshake did not get this far", "-", "-");
    }
    boolean tls13 = hello.isTls13();
    String onTheWire = tls13
        ? "encrypted under TLS 1.3, " + serverFlight(client)
        : "in clear under TLS 1.2" + chainText(client.serverCertificates());
    if (facts.flow.kind() == FlowKind.HTTPS_TUNNEL) {
      return new LessonStep("certificate", "Certificate", tls13 ? ENCRYPTED : CLEAR,
          "certificate: " + onTheWire, tls13 ? "only the sizes of encrypted records" : "the whole chain",
          "the same: the proxy did not terminate TLS");
    }
    CertificateSummary forged = facts.tls() == null ? null : facts.tls().forgedLeaf();
    List<CertificateSummary> real = facts.tls() == null ? List.of() : facts.tls().upstreamChain();
    String evidence = "the client was shown a certificate forged by Plainsight"
        + (forged == null ? "" : " (issuer " + forged.issuer() + ")")
        + (real.isEmpty() ? "" : "; the real server presented " + real.get(0).subject()
            + " issued by " + real.get(0).issuer())
        + ". On the wire: " + onTheWire;
    if (facts.flow.kind() == FlowKind.HTTPS_REJECTED) {
      evidence += ". The client checked the issuer against its trusted roots and refused: "
          + (facts.tls() == null ? "?" : facts.tls().alert());
    }
    return new LessonStep("certificate", "Certificate", DECRYPTED_BY_PROXY, evidence,
        tls13 ? "only the sizes of encrypted records" : "the forged chain in clear",
        "both certificates: the forged one it sent and the real one it checked");
  }

  static LessonStep keyExchange(Facts facts) {
    ServerHello hello = facts.realServerHello();
    if (hello == null) {
      return new LessonStep("key-exchange", "Key exchange", DID_NOT_HAPPEN,
          "the handshake did not get this far", "-", "-");
    }
    String suite = hello.cipherSuite() == null ? "" : hello.cipherSuite();
    String evidence;
    if (suite.startsWith("TLS_RSA_")) {
      evidence = "RSA key transport (" + suite + "): the client encrypted the secret to the "
          + "certificate's key. Whoever later gets that key can decrypt recorded traffic.";
    } else {
      String group = hello.keyShareGroup() == null ? "an ephemeral group" : hello.keyShareGroup();
      evidence = "key exchange: " + group + ", ephemeral (EC)DHE — each side sends a public key "
          + "share in its hello and both derive the same secret, which never crosses the wire. "
          + (hello.isTls13() ? "Under TLS 1.3 the certificate's key only signs (CertificateVerify): "
              : "The certificate's key signs the server's share: ")
          + "not the RSA key transport many tutorials describe.";
    }
    StepState state = facts.intercepted() ? DECRYPTED_BY_PROXY : CLEAR;
    return new LessonStep("key-exchange", "Key exchange", state, evidence,
        "the public key shares, never the derived secret",
        facts.intercepted() ? "the secrets of both its connections: it is an endpoint of each"
            : "the same as the eavesdropper");
  }

  static LessonStep finished(Facts facts) {
    if (facts.flow.kind() == FlowKind.HTTPS_REJECTED || facts.realServerHello() == null) {
      return new LessonStep("finished", "Finished", DID_NOT_HAPPEN,
          "the handshake never completed", "-", "-");
    }
    return new LessonStep("finished", "Finished",
        facts.intercepted() ? DECRYPTED_BY_PROXY : ENCRYPTED,
        "both sides send an encrypted Finished proving they derived the same keys",
        "encrypted records only", facts.intercepted() ? "its own Finished on each side" : "the same");
  }

  static LessonStep applicationData(Facts facts) {
    TlsObservation client = facts.clientSide;
    if (facts.flow.kind() == FlowKind.HTTPS_REJECTED || client == null) {
      return new LessonStep("application-data", "Encrypted data", DID_NOT_HAPPEN,
          "no application data was exchanged", "-", "-");
    }
    String totals = "client → server " + client.clientRecords() + " records, "
        + client.clientBytes() + " bytes; server → client " + client.serverRecords()
        + " records, " + client.serverBytes() + " bytes";
    if (facts.flow.kind() == FlowKind.HTTPS_TUNNEL) {
      return new LessonStep("application-data", "Encrypted data", ENCRYPTED,
          "application data sealed in 0x17 records: " + totals,
          "record sizes and timing: enough to guess page sizes, not their content", "the same");
    }
    return new LessonStep("application-data", "Encrypted data", DECRYPTED_BY_PROXY,
        "encrypted on both wires, decrypted in the proxy (connection totals so far: " + totals + ")",
        "record sizes and timing", "the plaintext HTTP");
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

package dev.plainsight.tls;

import java.util.List;

/**
 * An immutable snapshot of what a passive eavesdropper saw on one TLS connection, as built by
 * {@link TlsObserver#snapshot()}. Hellos are null when not (yet) seen; byte counts are raw TCP
 * payload bytes, record counts are record headers seen; {@code notes} say what could not be read
 * and why ("truncated ClientHello", "not TLS: first byte 0x47"). {@code clientHelloRecord} and
 * {@code serverHelloRecord} are the bytes of the kept hellos (see {@link HelloRecord}), null when
 * not seen or when the observation was stored before they were kept.
 */
public record TlsObservation(
    ClientHello clientHello,
    ServerHello serverHello,
    List<CertificateInfo> serverCertificates,
    List<AlertInfo> alerts,
    List<RecordEntry> ladder,
    long clientRecords,
    long clientBytes,
    long serverRecords,
    long serverBytes,
    boolean sawChangeCipherSpec,
    List<String> notes,
    HelloRecord clientHelloRecord,
    HelloRecord serverHelloRecord) {

  public TlsObservation {
    serverCertificates = copy(serverCertificates);
    alerts = copy(alerts);
    ladder = copy(ladder);
    notes = copy(notes);
  }

  /** An observation without hello bytes. */
  public TlsObservation(ClientHello clientHello, ServerHello serverHello,
      List<CertificateInfo> serverCertificates, List<AlertInfo> alerts, List<RecordEntry> ladder,
      long clientRecords, long clientBytes, long serverRecords, long serverBytes,
      boolean sawChangeCipherSpec, List<String> notes) {
    this(clientHello, serverHello, serverCertificates, alerts, ladder, clientRecords, clientBytes,
        serverRecords, serverBytes, sawChangeCipherSpec, notes, null, null);
  }

  /** The first plaintext alert the client sent (how a client refuses a certificate), or null. */
  public AlertInfo firstClientAlert() {
    return alerts.stream()
        .filter(a -> a.direction() == Direction.CLIENT_TO_SERVER)
        .findFirst()
        .orElse(null);
  }

  /** "TLS 1.3", "TLS 1.2", ... as chosen by the server, or null before a ServerHello. */
  public String negotiatedVersionName() {
    return serverHello == null ? null : serverHello.version();
  }

  public String sni() {
    return clientHello == null ? null : clientHello.sni();
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}

package dev.plainsight.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mutable state behind a {@link TlsObserver}: counters, ladder, hellos, alerts and notes, shared
 * by both directions. Every list is capped so a long or hostile connection cannot grow it. Not
 * thread-safe: the observer serialises access. {@link #snapshot} copies into a {@link
 * TlsObservation}; snapshots taken while the ladder did not grow share one ladder list, so the
 * store can keep a keep-alive connection's ladder once instead of once per exchange.
 */
final class ObservationBuilder {

  static final int MAX_NOTES = 32;
  static final int MAX_ALERTS = 16;

  private final int ladderCap;
  private final List<RecordEntry> ladder = new ArrayList<>();
  private List<RecordEntry> ladderCopy = List.of();
  private final List<AlertInfo> alerts = new ArrayList<>();
  private final Set<String> notes = new LinkedHashSet<>();
  private List<CertificateInfo> certificates = List.of();
  private ClientHello clientHello;
  private ServerHello serverHello;
  private HelloRecord clientHelloRecord;
  private HelloRecord serverHelloRecord;
  private boolean awaitingSecondClientHello;
  private boolean sawChangeCipherSpec;
  private long clientRecords;
  private long clientBytes;
  private long serverRecords;
  private long serverBytes;
  private long firstByteMillis = Long.MIN_VALUE;

  ObservationBuilder(int ladderCap) {
    this.ladderCap = ladderCap;
  }

  void bytes(Direction dir, int count, long nowMillis) {
    if (firstByteMillis == Long.MIN_VALUE) {
      firstByteMillis = nowMillis;
    }
    if (dir == Direction.CLIENT_TO_SERVER) {
      clientBytes += count;
    } else {
      serverBytes += count;
    }
  }

  void record(Direction dir, int type, int version, int length, long startMillis) {
    if (dir == Direction.CLIENT_TO_SERVER) {
      clientRecords++;
    } else {
      serverRecords++;
    }
    if (ladder.size() < ladderCap) {
      long offset = Math.max(0, startMillis - firstByteMillis);
      ladder.add(new RecordEntry(dir, TlsNames.contentType(type), version, length, offset));
    }
  }

  void note(String note) {
    if (notes.size() < MAX_NOTES) {
      notes.add(note);
    }
  }

  void alert(AlertInfo alert) {
    if (alerts.size() < MAX_ALERTS) {
      alerts.add(alert);
    }
  }

  void changeCipherSpec() {
    sawChangeCipherSpec = true;
  }

  ClientHello clientHello() {
    return clientHello;
  }

  /** Keeps the first ClientHello; a later one (after a HelloRetryRequest) is summarised in a note. */
  void clientHello(ClientHello hello, HelloRecord record) {
    if (clientHello == null) {
      clientHello = hello;
      clientHelloRecord = record;
    } else if (awaitingSecondClientHello) {
      note("client: second ClientHello after HelloRetryRequest offers key_share "
          + hello.keyShareGroups());
    } else {
      note("client: another ClientHello (renegotiation?) for " + hello.sni());
    }
    awaitingSecondClientHello = false;
  }

  ServerHello serverHello() {
    return serverHello;
  }

  /** The latest ServerHello wins; a HelloRetryRequest it replaces is kept as a note. */
  void serverHello(ServerHello hello, HelloRecord record) {
    if (serverHello != null && serverHello.helloRetryRequest() && !hello.helloRetryRequest()) {
      note("server: HelloRetryRequest asked for key_share " + serverHello.keyShareGroup()
          + " before this ServerHello");
    } else if (serverHello != null) {
      note("server: another ServerHello (" + hello.version() + ")");
    }
    serverHello = hello;
    serverHelloRecord = record;
    awaitingSecondClientHello = hello.helloRetryRequest();
  }

  /** Under TLS 1.2 the ECDHE group is only in ServerKeyExchange: fill it into the ServerHello. */
  void keyExchangeGroup(String group) {
    if (serverHello != null && serverHello.keyShareGroup() == null) {
      serverHello = serverHello.withKeyShareGroup(group);
    }
  }

  boolean tls13() {
    return serverHello != null && serverHello.isTls13();
  }

  void certificates(List<CertificateInfo> chain) {
    if (certificates.isEmpty()) {
      certificates = List.copyOf(chain);
    }
  }

  TlsObservation snapshot(List<String> pendingNotes) {
    List<String> allNotes = new ArrayList<>(notes);
    allNotes.addAll(pendingNotes);
    if (ladderCopy.size() != ladder.size()) {
      ladderCopy = List.copyOf(ladder);
    }
    return new TlsObservation(clientHello, serverHello, certificates, alerts, ladderCopy,
        clientRecords, clientBytes, serverRecords, serverBytes, sawChangeCipherSpec, allNotes,
        clientHelloRecord, serverHelloRecord);
  }
}

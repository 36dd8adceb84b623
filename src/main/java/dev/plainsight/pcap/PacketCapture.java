package dev.plainsight.pcap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A pcapng file of connection legs, as Wireshark and {@code tshark -r} open it: the legs' packets
 * merged in time order on one raw-IP interface, and, when given, the TLS secrets of those legs in
 * a Decryption Secrets Block ahead of them, so the HTTP inside intercepted TLS shows with no
 * set-up. Without secrets it is the eavesdropper's copy: the same packets, sealed. The file's
 * comment says that the TCP framing is synthetic. Reusable: {@link #write} may be called often.
 */
public final class PacketCapture {
  /** Said in every file, and in the dashboard beside the download. */
  public static final String FRAMING_NOTE = "Written by Plainsight from the bytes that crossed "
      + "each socket, in their order and with their times. The TCP framing is synthetic: "
      + "handshake, segment sizes (Plainsight's reads, not the kernel's packets), sequence "
      + "numbers and ACKs are reconstructed; addresses, ports, payload bytes and timestamps are "
      + "real.";

  private final List<TcpLeg> legs;
  private final String keyLog;
  private final String comment;

  /**
   * {@code keyLog}: NSS key log lines for the legs' TLS sessions, or null for a sealed copy;
   * {@code comment}: what the file holds (appended to {@link #FRAMING_NOTE}).
   */
  public PacketCapture(List<TcpLeg> legs, String keyLog, String comment) {
    this.legs = List.copyOf(legs);
    this.keyLog = keyLog == null || keyLog.isBlank() ? null : keyLog;
    this.comment = comment == null ? "" : comment;
  }

  public void write(OutputStream out) throws IOException {
    PcapngWriter writer = new PcapngWriter(out);
    writer.header(FRAMING_NOTE + (comment.isEmpty() ? "" : " " + comment)
        + (keyLog == null ? " No TLS secrets included: this is what an eavesdropper captures."
            : " TLS secrets of both legs are included (Decryption Secrets Block)."),
        "Plainsight");
    writer.interfaceRawIp("plainsight");
    if (keyLog != null) {
      writer.secrets((keyLog.endsWith("\n") ? keyLog : keyLog + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    List<SyntheticTcp.Packet> packets = new ArrayList<>();
    SyntheticTcp tcp = new SyntheticTcp();
    for (TcpLeg leg : legs) {
      packets.addAll(tcp.packets(leg));
    }
    packets.sort(Comparator.comparing(SyntheticTcp.Packet::at));
    for (SyntheticTcp.Packet packet : packets) {
      writer.packet(packet.at(), packet.data());
    }
    out.flush();
  }
}

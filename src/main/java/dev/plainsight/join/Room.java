package dev.plainsight.join;

import dev.plainsight.ca.RootCa;
import dev.plainsight.net.ListenerAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What participants need to join this Plainsight, shared by the proxy's {@code
 * http://plainsight/} and the dashboard: the CA, the demo site's CA when {@code --demo} runs, and
 * where the proxy and the dashboard listen. Built before either starts; {@link #proxyAt} and
 * {@link #dashboardAt} are called once each listener is bound (its port may be picked by the
 * OS), {@link #offerDemoCa} when the demo site runs. Safe to read from any thread.
 */
public final class Room {
  /** The addresses to hand out: the proxy, the PAC URL (null: none reachable) and the page. */
  public record Addresses(String proxy, String pac, String page, String note) {}

  private final RootCa ca;
  private volatile OfferedCa demoCa;
  private volatile InetSocketAddress proxy;
  private volatile String dashboardHost;
  private volatile int dashboardPort;

  public Room(RootCa ca) {
    this.ca = ca;
  }

  public void proxyAt(InetSocketAddress bound) {
    this.proxy = bound;
  }

  public void dashboardAt(String listenHost, int port) {
    this.dashboardHost = listenHost;
    this.dashboardPort = port;
  }

  /** Offers the demo site's CA (the stand-in for a public CA) on the participants' page. */
  public void offerDemoCa(X509Certificate certificate) {
    this.demoCa = OfferedCa.of(certificate);
  }

  public RootCa ca() {
    return ca;
  }

  public Optional<OfferedCa> demoCa() {
    return Optional.ofNullable(demoCa);
  }

  /** The dashboard's port, or 0 before it is bound. */
  public int dashboardPort() {
    return dashboardPort;
  }

  /** Every {@code host:port} the dashboard answers to: what the PAC sends {@code DIRECT}. */
  public List<String> dashboardAuthorities() {
    List<String> all = new ArrayList<>();
    if (dashboardHost != null) {
      for (String host : ListenerAddresses.hostNames(dashboardHost)) {
        all.add(host + ":" + dashboardPort);
      }
    }
    return all;
  }

  /** The PAC script for a client that reached the proxy at {@code proxyHost}. */
  public String pac(String proxyHost, int proxyPort) {
    return ProxyAutoConfig.script(proxyHost, proxyPort, dashboardAuthorities());
  }

  /**
   * The addresses participants should use, as seen from another machine: for a listener on all
   * addresses, this machine's best interface address ({@link ListenerAddresses}). The PAC file
   * and the page come from the dashboard; when it listens on loopback only while the proxy is
   * open to the room, there is no PAC URL and the page is {@code http://plainsight/} (reachable
   * once the proxy is set by hand). {@code note} says what limits the room, or is null.
   */
  public Addresses addresses() {
    if (proxy == null || dashboardHost == null) {
      return new Addresses(null, null, "http://plainsight/", "Plainsight is still starting");
    }
    InetAddress proxyBound = proxy.getAddress();
    String proxyUrl = "http://" + ListenerAddresses.authority(
        ListenerAddresses.reachable(proxyBound).get(0), proxy.getPort());
    InetAddress dashboardBound = new InetSocketAddress(dashboardHost, 0).getAddress();
    String dashboard = "http://" + ListenerAddresses.authority(
        ListenerAddresses.reachable(dashboardBound).get(0), dashboardPort);
    boolean proxyLocal = ListenerAddresses.loopbackOnly(proxyBound);
    boolean dashboardLocal = ListenerAddresses.loopbackOnly(dashboardBound);
    if (proxyLocal) {
      return new Addresses(proxyUrl, dashboard + "/proxy.pac", dashboard + "/join",
          "the proxy listens on " + proxyBound.getHostAddress() + " only: only this machine "
              + "can join (start Plainsight with --listen 0.0.0.0 --dashboard-listen 0.0.0.0 "
              + "for a room)");
    }
    if (dashboardLocal) {
      return new Addresses(proxyUrl, null, "http://plainsight/",
          "the dashboard listens on " + dashboardBound.getHostAddress() + " only: participants "
              + "set the proxy by hand, then open http://plainsight/ (start Plainsight with "
              + "--dashboard-listen 0.0.0.0 for the PAC URL and a page that opens without it)");
    }
    return new Addresses(proxyUrl, dashboard + "/proxy.pac", dashboard + "/join", null);
  }
}

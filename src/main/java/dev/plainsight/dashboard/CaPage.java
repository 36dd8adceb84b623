package dev.plainsight.dashboard;

import dev.plainsight.Html;
import dev.plainsight.ca.RootCa;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public CA install page ({@code /ca}): where to download the certificate (PEM and DER), its
 * fingerprint to compare, step by step how to trust it on each platform and client, and how to
 * remove it again after the workshop. Holds no captured data, so it needs no token; it has no
 * script and no inline style, and every value from the certificate is HTML-escaped.
 */
final class CaPage {
  private static final Pattern CN = Pattern.compile("(?:^|,)\\s*CN=((?:\\\\,|[^,])+)");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private CaPage() {}

  static String html(RootCa ca) {
    X509Certificate cert = ca.certificate();
    String subject = cert.getSubjectX500Principal().getName();
    return TEMPLATE
        .replace("{{fingerprint}}", Html.escape(ca.sha256Fingerprint()))
        .replace("{{spki}}", Html.escape(ca.spkiSha256Base64()))
        .replace("{{subject}}", Html.escape(subject))
        .replace("{{cn}}", Html.escape(commonName(subject)))
        .replace("{{notAfter}}", Html.escape(DAY.format(cert.getNotAfter().toInstant())));
  }

  /** The CN of an RFC 2253 name ("Plainsight CA 8e9ed06b"), or the whole name without one. */
  static String commonName(String subject) {
    Matcher matcher = CN.matcher(subject);
    return matcher.find() ? matcher.group(1).replace("\\,", ",") : subject;
  }

  private static final String TEMPLATE = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Trust the Plainsight workshop CA</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
      <link rel="stylesheet" href="/style.css"></head>
      <body class="ca-page"><main>
      <h1>Trust the Plainsight workshop CA</h1>
      <p>Plainsight can read HTTPS only from a browser or program that trusts its own certificate
      authority (CA). Anything that does not trust it refuses the connection. That refusal is what
      protects you from strangers in the middle, so it is worth seeing once before you trust the CA.</p>
      <p class="warning"><strong>Before you trust it:</strong> while this CA is trusted, whoever holds
      its key (the trainer's Plainsight) can read and change all HTTPS traffic of that browser or
      device that goes through the proxy. Trust it only in a browser profile or on a device you use
      for the workshop, and <a href="#remove">remove it afterwards</a>.</p>

      <h2 id="download">1. Download the certificate</h2>
      <div class="downloads">
      <a href="/ca.pem" download="plainsight-ca.pem">plainsight-ca.pem (PEM)</a>
      <a href="/ca.der" download="plainsight-ca.der">plainsight-ca.der (DER)</a>
      </div>
      <p>The two files hold the same certificate. PEM is text (for Linux, Firefox, curl, Java, Node,
      Python); DER is binary (Windows, Android, iOS and macOS prefer it).</p>

      <h2 id="check">2. Check that it is the right one</h2>
      <div class="fingerprint-box">
      <p>SHA-256 fingerprint: compare it with the one on the trainer's screen (Plainsight prints it
      when it starts). If they differ, stop: someone else's certificate reached you.</p>
      <code id="fingerprint">{{fingerprint}}</code>
      <p>Name: <strong>{{cn}}</strong> ({{subject}}), valid until {{notAfter}}.</p>
      </div>

      <h2 id="trust">3. Trust it where you need it</h2>
      <nav aria-label="platforms"><ul>
      <li><a href="#chromium">Chromium and Chrome</a></li>
      <li><a href="#firefox">Firefox</a></li>
      <li><a href="#macos">macOS (Safari, Chrome)</a></li>
      <li><a href="#windows">Windows (Edge, Chrome)</a></li>
      <li><a href="#android">Android</a></li>
      <li><a href="#ios">iPhone and iPad</a></li>
      <li><a href="#curl">curl</a></li>
      <li><a href="#java">Java</a></li>
      <li><a href="#node">Node.js</a></li>
      <li><a href="#python">Python</a></li>
      </ul></nav>

      <section class="platform" id="chromium"><h3>Chromium and Chrome</h3>
      <p>On Windows and macOS, Chrome uses the system's list: follow the Windows or macOS steps.
      On Linux, Chromium keeps its own list (an NSS database):</p>
      <ol>
      <li>Install the tool: <code>sudo apt install libnss3-tools</code>.</li>
      <li>Add the CA: <pre>certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n plainsight -i plainsight-ca.pem</pre>
      Newer Chromium versions may read <code>~/.local/share/pki/nssdb</code> instead: run the same
      command with that folder if the first one changes nothing.</li>
      <li>Or, by clicking: Settings &rarr; Privacy and security &rarr; Security &rarr; Manage
      certificates &rarr; Authorities &rarr; Import, choose <code>plainsight-ca.pem</code> and tick
      &ldquo;Trust this certificate for identifying websites&rdquo;.</li>
      <li>Restart Chromium.</li>
      </ol>
      <p>Without installing anything, for a throw-away profile only: start Chromium with</p>
      <pre>chromium --user-data-dir=/tmp/workshop-profile --proxy-server=http://PROXY-ADDRESS --ignore-certificate-errors-spki-list={{spki}}</pre>
      <p>The last value is the SHA-256 of this CA's public key; it must match exactly.</p>
      </section>

      <section class="platform" id="firefox"><h3>Firefox</h3>
      <p>Firefox has its own list, separate from the system's.</p>
      <ol>
      <li>Settings &rarr; Privacy &amp; Security &rarr; Certificates &rarr; View Certificates.</li>
      <li>Authorities tab &rarr; Import, choose <code>plainsight-ca.pem</code>.</li>
      <li>Tick &ldquo;Trust this CA to identify websites&rdquo; and press OK.</li>
      </ol>
      <p>Administrators can push it with the enterprise policy <code>Certificates.Install</code>.</p>
      </section>

      <section class="platform" id="macos"><h3>macOS</h3>
      <ol>
      <li>Open Terminal in the folder with the download.</li>
      <li>Run <pre>sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain plainsight-ca.pem</pre>
      and enter your password.</li>
      <li>Safari and Chrome trust it from now on (restart them). Firefox still needs its own steps.</li>
      </ol>
      </section>

      <section class="platform" id="windows"><h3>Windows</h3>
      <ol>
      <li>Open a Command Prompt as administrator (right-click &rarr; Run as administrator).</li>
      <li>Run <pre>certutil -addstore -f ROOT plainsight-ca.der</pre></li>
      <li>Or, by clicking: double-click <code>plainsight-ca.der</code> &rarr; Install Certificate
      &rarr; Local Machine &rarr; &ldquo;Place all certificates in the following store&rdquo; &rarr;
      Trusted Root Certification Authorities &rarr; Finish.</li>
      <li>Edge and Chrome trust it after a restart. Firefox still needs its own steps.</li>
      </ol>
      </section>

      <section class="platform" id="android"><h3>Android</h3>
      <ol>
      <li>Download <code>plainsight-ca.der</code> on the phone.</li>
      <li>Settings &rarr; Security (or Security &amp; privacy) &rarr; Encryption &amp; credentials
      &rarr; Install a certificate &rarr; CA certificate, and pick the file.</li>
      <li>Set the Wi-Fi network's proxy to the address the trainer gives you (or to
      automatic, with the address of this site's <a href="/proxy.pac">proxy.pac</a>).</li>
      </ol>
      <p>Since Android 7, apps ignore CAs that you install yourself unless the app opts in. So most
      apps will refuse the connection even with the CA installed: that is Android protecting you,
      and a good thing to watch in the dashboard. Apps that pin their certificates refuse too.</p>
      </section>

      <section class="platform" id="ios"><h3>iPhone and iPad</h3>
      <ol>
      <li>Open this page in Safari and tap <a href="/ca.der">plainsight-ca.der</a>; allow the
      configuration profile to download.</li>
      <li>Settings &rarr; General &rarr; VPN &amp; Device Management &rarr; the Plainsight profile
      &rarr; Install.</li>
      <li>Settings &rarr; General &rarr; About &rarr; Certificate Trust Settings &rarr; turn on full
      trust for <strong>{{cn}}</strong>. Without this last step the CA is installed but not trusted.</li>
      </ol>
      </section>

      <section class="platform" id="curl"><h3>curl</h3>
      <pre>curl --proxy http://PROXY-ADDRESS --cacert plainsight-ca.pem https://example.com/</pre>
      <p><code>--cacert</code> trusts this CA for that one command only: nothing to remove later.
      Without it curl refuses with &ldquo;SSL certificate problem: unable to get local issuer
      certificate&rdquo; (exit code 60).</p>
      </section>

      <section class="platform" id="java"><h3>Java</h3>
      <p>Best: a separate trust store for the workshop, used only when you ask for it:</p>
      <pre>keytool -importcert -noprompt -alias plainsight -file plainsight-ca.pem -keystore workshop.p12 -storepass changeit
      java -Djavax.net.ssl.trustStore=workshop.p12 -Djavax.net.ssl.trustStorePassword=changeit -Dhttps.proxyHost=PROXY-HOST -Dhttps.proxyPort=PROXY-PORT -jar app.jar</pre>
      <p>Or into the JDK's own list (every Java program then trusts it):
      <code>keytool -importcert -cacerts -alias plainsight -file plainsight-ca.pem</code>
      (the store's password is <code>changeit</code> unless someone changed it).</p>
      </section>

      <section class="platform" id="node"><h3>Node.js</h3>
      <pre>NODE_EXTRA_CA_CERTS=plainsight-ca.pem node app.js</pre>
      <p>This <em>adds</em> the CA to Node's built-in list, for that run only.</p>
      </section>

      <section class="platform" id="python"><h3>Python (requests)</h3>
      <pre>HTTPS_PROXY=http://PROXY-ADDRESS REQUESTS_CA_BUNDLE=plainsight-ca.pem python app.py</pre>
      <p>This <em>replaces</em> the list of trusted CAs for that run: only sites reached through
      Plainsight will work. In code: <code>requests.get(url, verify="plainsight-ca.pem")</code>.</p>
      </section>

      <h2 id="remove">4. After the workshop: remove it</h2>
      <p>A CA you no longer need is a risk: whoever has its key could read your HTTPS. Remove it
      from every place you added it.</p>
      <ul>
      <li><strong>Chromium on Linux:</strong> <code>certutil -d sql:$HOME/.pki/nssdb -D -n plainsight</code>
      (or Manage certificates &rarr; Authorities &rarr; {{cn}} &rarr; Delete).</li>
      <li><strong>Firefox:</strong> View Certificates &rarr; Authorities &rarr; select {{cn}} &rarr;
      Delete or Distrust.</li>
      <li><strong>macOS:</strong> <code>sudo security delete-certificate -c "{{cn}}" /Library/Keychains/System.keychain</code>
      (or Keychain Access &rarr; System &rarr; delete it).</li>
      <li><strong>Windows:</strong> as administrator, <code>certutil -delstore ROOT "{{cn}}"</code>
      (or certlm.msc &rarr; Trusted Root Certification Authorities &rarr; delete it).</li>
      <li><strong>Android:</strong> Settings &rarr; Security &rarr; Encryption &amp; credentials
      &rarr; User credentials &rarr; {{cn}} &rarr; Remove; and set the Wi-Fi proxy back to none.</li>
      <li><strong>iPhone and iPad:</strong> Settings &rarr; General &rarr; VPN &amp; Device
      Management &rarr; the Plainsight profile &rarr; Remove Profile.</li>
      <li><strong>Java:</strong> delete <code>workshop.p12</code>, or
      <code>keytool -delete -cacerts -alias plainsight</code>.</li>
      <li><strong>curl, Node.js, Python:</strong> stop passing the option or the variable.</li>
      <li>Delete the downloaded files. The trainer deletes the CA's key (the <code>ca/</code>
      folder) at the end: after that the CA can never sign anything again.</li>
      </ul>
      <p><a href="/">Back to the dashboard</a> (it needs the address with the token).</p>
      </main></body></html>
      """;
}

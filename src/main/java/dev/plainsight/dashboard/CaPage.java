package dev.plainsight.dashboard;

import dev.plainsight.ca.RootCa;

/**
 * The public CA install page: where to download the certificate, its fingerprint to compare, and
 * how to trust it (and remove it again). Holds no captured data, so it needs no token.
 */
final class CaPage {
  private CaPage() {}

  static String html(RootCa ca) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Plainsight CA</title><link rel="stylesheet" href="/style.css"></head>
        <body class="ca-page"><main>
        <h1>Trust the Plainsight workshop CA</h1>
        <p>Plainsight reads HTTPS only for clients that trust its own certificate authority.
        A client that does not trust it refuses the connection: that refusal is what protects you
        from anyone else who sits in the middle.</p>
        <p><a href="/ca.pem" download>Download ca.pem</a></p>
        <p>SHA-256 fingerprint (compare it before trusting):<br><code>%s</code></p>
        <h2>How to trust it</h2>
        <ul>
        <li><b>curl</b>: <code>curl --proxy http://127.0.0.1:8080 --cacert ca.pem https://example.com/</code></li>
        <li><b>Chromium/Chrome on Linux</b>: <code>certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n plainsight -i ca.pem</code></li>
        <li><b>Firefox</b>: Settings &rarr; Privacy &amp; Security &rarr; Certificates &rarr; View Certificates &rarr; Authorities &rarr; Import.</li>
        <li><b>macOS</b>: <code>sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ca.pem</code></li>
        <li><b>Windows</b>: <code>certutil -addstore -f ROOT ca.pem</code> (as administrator)</li>
        <li><b>Java</b>: <code>keytool -importcert -cacerts -alias plainsight -file ca.pem</code></li>
        <li><b>Node</b>: <code>NODE_EXTRA_CA_CERTS=ca.pem</code>; <b>Python requests</b>: <code>REQUESTS_CA_BUNDLE=ca.pem</code></li>
        </ul>
        <h2>After the workshop: remove it</h2>
        <p>Delete the "Plainsight CA" entry you added (certutil -D -n plainsight, Firefox's
        Authorities list, Keychain Access, certmgr.msc, keytool -delete -alias plainsight).
        A trusted CA you no longer need is a risk.</p>
        </main></body></html>
        """.formatted(ca.sha256Fingerprint());
  }
}

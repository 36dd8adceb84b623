package dev.plainsight.ca;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks upstream servers exactly as the JDK's trust manager does (chain and, with endpoint
 * identification, host name); when it refuses, records a plain-words reason under the engine's
 * (or socket's) peerHost:peerPort, then rethrows the original exception unchanged.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final UpstreamFailureRecorder recorder;

  RecordingTrustManager(X509ExtendedTrustManager delegate, UpstreamFailureRecorder recorder) {
    this.delegate = delegate;
    this.recorder = recorder;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      if (engine != null) {
        record(engine.getPeerHost(), engine.getPeerPort(), chain, e);
      }
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      SSLSession session = socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
      if (session != null) {
        record(session.getPeerHost(), session.getPeerPort(), chain, e);
      }
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private void record(String host, int port, X509Certificate[] chain, CertificateException e) {
    if (host != null) {
      recorder.record(host + ":" + port, UpstreamFailureReasons.explain(chain, host, e));
    }
  }
}

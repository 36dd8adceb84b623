package dev.plainsight.flow;

import java.util.List;

/** A request as the client sent it (before the proxy touched its headers). */
public record CapturedRequest(
    String method, String url, String httpVersion, List<Header> headers, Body body) {

  public CapturedRequest {
    headers = List.copyOf(headers);
  }

  public CapturedRequest withBody(Body newBody) {
    return new CapturedRequest(method, url, httpVersion, headers, newBody);
  }
}

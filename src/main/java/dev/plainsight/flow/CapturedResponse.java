package dev.plainsight.flow;

import java.util.List;

/** A response as the origin sent it. */
public record CapturedResponse(
    int status, String reason, String httpVersion, List<Header> headers, Body body) {

  public CapturedResponse {
    headers = List.copyOf(headers);
  }

  public CapturedResponse withBody(Body newBody) {
    return new CapturedResponse(status, reason, httpVersion, headers, newBody);
  }
}

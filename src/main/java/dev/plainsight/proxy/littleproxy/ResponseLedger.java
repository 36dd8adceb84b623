package dev.plainsight.proxy.littleproxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Counts, on one server connection, the requests written and the final responses read, to tell
 * a solicited response from an injected one. Order of calls: {@link #sent} for each request head
 * written; {@link #read} for each decoded object read, in order. {@code read} answers false for
 * an object that arrived while no request was outstanding (the first such object and all after
 * it: the connection is then no longer trusted). A 1xx interim answer (100 Continue) is solicited
 * and leaves its request outstanding; a 101 ends the accounting (what follows is WebSocket frames).
 * A response to HEAD has no body and a close-delimited one ends at close: LittleProxy's decoder
 * already ends both with a {@link LastHttpContent}, which is what retires a request here.
 */
final class ResponseLedger {
  private int outstanding;
  private boolean inResponse;
  private boolean interim;
  private boolean switched;
  private boolean poisoned;

  void sent(HttpRequest request) {
    outstanding++;
  }

  /** Whether {@code object} answers a request; false once the server has spoken out of turn. */
  boolean read(HttpObject object) {
    if (switched) {
      return true;
    }
    if (poisoned) {
      return false;
    }
    if (object instanceof HttpResponse response) {
      if (inResponse || outstanding == 0) {
        poisoned = true;
        return false;
      }
      inResponse = true;
      int code = response.status().code();
      interim = code >= 100 && code < 200 && code != 101;
      if (code == 101) {
        switched = true;
        return true;
      }
    } else if (object instanceof HttpContent && !inResponse) {
      poisoned = true;
      return false;
    }
    if (object instanceof LastHttpContent) {
      inResponse = false;
      if (!interim) {
        outstanding--;
      }
      interim = false;
    }
    return true;
  }

  /** Requests written whose final response has not yet ended. */
  int outstanding() {
    return outstanding;
  }
}

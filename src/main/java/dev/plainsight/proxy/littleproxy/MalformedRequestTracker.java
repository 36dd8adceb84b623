package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import org.littleshoot.proxy.ActivityTrackerAdapter;
import org.littleshoot.proxy.FlowContext;

/**
 * Records requests the HTTP decoder could not parse (an over-long request line, too many headers)
 * as error flows. LittleProxy answers them with a 400 and closes before any filter runs, so this
 * activity tracker is the only place they can be seen. Ambiguous framing (bad chunk sizes among
 * it) never reaches the decoder: {@link FramingGuard} refuses it first.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.anOverlongRequestLineStillGets400BeforeAnyFilterRuns}.
 */
final class MalformedRequestTracker extends ActivityTrackerAdapter {
  private final FlowRecorder recorder;

  MalformedRequestTracker(FlowRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void requestReceivedFromClient(FlowContext context, HttpRequest request) {
    if (!request.decoderResult().isFailure()) {
      return;
    }
    Throwable cause = request.decoderResult().cause();
    InetSocketAddress client = context.getClientAddress();
    recorder.record(new FlowBuilder()
        .kind(FlowKind.ERROR)
        .client(client == null || client.getAddress() == null ? "?"
            : client.getAddress().getHostAddress())
        .status(400)
        .error("malformed request, refused with 400: "
            + (cause == null ? "unparseable" : cause.getClass().getSimpleName() + ": "
                + cause.getMessage())));
  }
}

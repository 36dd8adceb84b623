package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.WebSocketCapture;
import dev.plainsight.flow.Flow;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Binds a {@link WebSocketCapture} to the client channel of an upgraded exchange: each piece of
 * the stream LittleProxy reports is copied into the capture (LittleProxy forwards the original
 * untouched); the first change after an update schedules the next one {@link #UPDATE_DELAY_MS}
 * later on the channel's event loop, so a chatty socket costs at most a few store updates a
 * second; when the channel closes (either side hung up), the last messages are stored at once.
 */
final class WebSocketTap {
  static final long UPDATE_DELAY_MS = 250;

  private final WebSocketCapture capture;
  private final FlowRecorder recorder;
  private final Channel client;

  private WebSocketTap(WebSocketCapture capture, FlowRecorder recorder, Channel client) {
    this.capture = capture;
    this.recorder = recorder;
    this.client = client;
  }

  static WebSocketTap start(WebSocketCapture capture, FlowRecorder recorder, Channel client) {
    WebSocketTap tap = new WebSocketTap(capture, recorder, client);
    client.closeFuture().addListener(closed -> tap.closed());
    return tap;
  }

  /** From LittleProxy's frame callback: {@code bytes} must be read before it returns. */
  void bytes(Supplier<byte[]> bytes, boolean fromClient) {
    if (capture.read(bytes.get(), fromClient)) {
      client.eventLoop().schedule(this::update, UPDATE_DELAY_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void update() {
    Flow flow = capture.takeUpdate();
    if (flow != null) {
      recorder.update(flow);
    }
  }

  private void closed() {
    capture.close();
    update();
  }
}

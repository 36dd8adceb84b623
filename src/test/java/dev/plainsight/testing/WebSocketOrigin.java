package dev.plainsight.testing;

import io.javalin.Javalin;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real WebSocket echo server on 127.0.0.1 ({@code /chat} answers "echo: " + each text message,
 * and each binary message with the same bytes), over plain HTTP or, with an SSLContext, over TLS
 * only. Jetty agrees to permessage-deflate when a client offers it.
 */
public final class WebSocketOrigin implements AutoCloseable {
  private final Javalin app;
  private final ServerConnector tlsConnector;

  private WebSocketOrigin(SSLContext tls) {
    ServerConnector[] connector = new ServerConnector[1];
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = "127.0.0.1";
      config.jetty.port = 0;
      if (tls != null) {
        config.jetty.modifyServer(server -> {
          SslContextFactory.Server factory = new SslContextFactory.Server();
          factory.setSslContext(tls);
          connector[0] = new ServerConnector(server, factory);
          connector[0].setHost("127.0.0.1");
          connector[0].setPort(0);
          server.addConnector(connector[0]);
        });
      }
      config.routes.ws("/chat", ws -> {
        ws.onMessage(ctx -> ctx.send("echo: " + ctx.message()));
        ws.onBinaryMessage(ctx -> {
          ByteBuffer data = ctx.data();
          ByteBuffer copy = ByteBuffer.allocate(data.remaining());
          copy.put(data.duplicate()).flip();
          ctx.send(copy);
        });
      });
    });
    app.start();
    tlsConnector = connector[0];
  }

  public static WebSocketOrigin plain() {
    return new WebSocketOrigin(null);
  }

  public static WebSocketOrigin tls(SSLContext context) {
    return new WebSocketOrigin(context);
  }

  public int port() {
    return app.port();
  }

  public int tlsPort() {
    return tlsConnector.getLocalPort();
  }

  @Override
  public void close() {
    app.stop();
  }
}

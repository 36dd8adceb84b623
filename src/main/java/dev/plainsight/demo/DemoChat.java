package dev.plainsight.demo;

import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The demo site's one chat room, over WebSocket: whoever connects is told the name they joined
 * as, and every text message is sent to everyone in the room (the sender included) as
 * {@code "name: text"}. The name is the logged-in user, or "guest". Messages are capped at
 * {@link #MAX_MESSAGE} characters and the room at {@link #MAX_MEMBERS} connections.
 */
final class DemoChat {
  static final int MAX_MESSAGE = 500;
  static final int MAX_MEMBERS = 200;

  private final Set<WsContext> members = ConcurrentHashMap.newKeySet();
  private final Function<WsContext, String> nameOf;

  /** {@code nameOf} names a member from its upgrade request (its cookies), never null. */
  DemoChat(Function<WsContext, String> nameOf) {
    this.nameOf = nameOf;
  }

  void configure(WsConfig ws) {
    ws.onConnect(member -> {
      if (members.size() >= MAX_MEMBERS) {
        member.closeSession(WsCloseStatus.TRY_AGAIN_LATER, "the room is full");
        return;
      }
      members.add(member);
      member.send("* you joined the chat as " + nameOf.apply(member));
    });
    ws.onMessage(message -> {
      String text = message.message();
      if (text.length() > MAX_MESSAGE) {
        text = text.substring(0, MAX_MESSAGE);
      }
      broadcast(nameOf.apply(message) + ": " + text);
    });
    ws.onClose(members::remove);
    ws.onError(members::remove);
  }

  private void broadcast(String line) {
    for (WsContext member : members) {
      if (member.session.isOpen()) {
        try {
          member.send(line);
        } catch (RuntimeException e) {
          members.remove(member);
        }
      } else {
        members.remove(member);
      }
    }
  }
}

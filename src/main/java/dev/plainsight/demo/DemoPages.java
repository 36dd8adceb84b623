package dev.plainsight.demo;

import dev.plainsight.Html;

/**
 * The demo site's pages, as HTML strings. Every value that came from a request goes through
 * {@link Html#escape}. Each page says in plain words what the learner is looking at and what to look
 * for in Plainsight; {@link #transport} explains the connection the page itself came over.
 */
final class DemoPages {
  static final String SITE_NAME = "Sunflower Demo Bank";

  private DemoPages() {}

  static String home(boolean https) {
    return page("Home", https, """
        <h1>%s</h1>
        <p class="lead">A pretend web site for learning what travels over the network.
        Nothing here is real: any name and any password will do. <strong>Never type a real
        password here</strong>: in this room, the proxy reads everything you send over plain HTTP.</p>
        <ul class="cards">
          <li><a href="/login">Log in</a>: a form that sends a name and a password.
            <span>Look for: the password in the request body.</span></li>
          <li><a href="/session">Session cookie</a>: the site gives your browser a cookie.
            <span>Look for: <code>Set-Cookie</code>, then <code>Cookie</code> on every later request.</span></li>
          <li><a href="/api/profile">Profile API</a>: the JSON a web app fetches in the background.
            <span>Look for: personal data in a response nobody sees on screen.</span></li>
          <li><a href="/logo.png">Logo</a>: an image.
            <span>Look for: images cross the wire like everything else (what you look at is visible too).</span></li>
          <li><a href="/chat">Chat</a>: a WebSocket chat with everyone on this site.
            <span>Look for: the upgrade to WebSocket, then every message.</span></li>
        </ul>
        """.formatted(SITE_NAME));
  }

  static String loginForm(boolean https, String problem) {
    String error = problem == null ? "" : "<p class=\"error\">" + Html.escape(problem) + "</p>\n";
    return page("Log in", https, """
        <h1>Log in</h1>
        %s<form method="post" action="/login">
          <label>Name <input name="user" autocomplete="username" required></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Log in</button>
        </form>
        <p>Any name and password work. The dots in the password box only hide it from people
        looking at your screen: the browser sends it as typed, as
        <code>user=...&amp;password=...</code> in the body of a <code>POST /login</code>.</p>
        <p><strong>Ask yourself:</strong> if you send this form over the café Wi-Fi, what could
        the Wi-Fi's owner read? Try it over <code>http://</code> and over <code>https://</code>,
        then compare the two flows in Plainsight.</p>
        """.formatted(error));
  }

  static String welcome(boolean https, String user, String cookieName, String cookieValue) {
    return page("Welcome", https, """
        <h1>Welcome, %s</h1>
        <p>You are logged in. The server answered your form with a session cookie:</p>
        <pre>Set-Cookie: %s=%s; Path=/; HttpOnly</pre>
        <p>From now on your browser sends <code>Cookie: %s=...</code> with every request to this
        site. Whoever holds that value <em>is</em> you until it expires: no password needed.
        Over plain HTTP anyone on the path can copy it.</p>
        <p>In Plainsight, open the <code>POST /login</code> flow: is the password in the request
        body? Is the cookie in the response? Then open <a href="/api/profile">your profile</a> and
        find the cookie going back.</p>
        """.formatted(Html.escape(user), cookieName, Html.escape(cookieValue), cookieName));
  }

  static String session(boolean https, String user, boolean justSet, String cookieName) {
    String what = justSet
        ? "<p>This page just gave your browser a session cookie named <code>" + cookieName
            + "</code>, as a guest called <strong>" + Html.escape(user) + "</strong>. Reload the page:"
            + " your browser sends it back, and the site remembers you.</p>"
        : "<p>Your browser sent the session cookie <code>" + cookieName + "</code>, so the site"
            + " knows you are <strong>" + Html.escape(user) + "</strong>. You did not type anything:"
            + " the cookie alone says who you are.</p>";
    return page("Session cookie", https, """
        <h1>Session cookie</h1>
        %s
        <p>A session cookie is how a site keeps you logged in between pages. It is only as secret
        as the connection that carries it: over plain HTTP, anyone who reads it can paste it into
        their own browser and be you. That is why sites mark cookies <code>Secure</code> (HTTPS
        only) and why HTTPS everywhere matters.</p>
        <p>In Plainsight, find <code>Set-Cookie</code> in this page's response, and
        <code>Cookie</code> in the next request.</p>
        """.formatted(what));
  }

  static String chat(boolean https) {
    return page("Chat", https, """
        <h1>Chat</h1>
        <p>Everyone who opens this page is in the same room. Your browser keeps one WebSocket
        connection open (<code>%s</code>) and every message travels over it.</p>
        <p>Status: <span id="status">connecting...</span></p>
        <ul id="messages"></ul>
        <form id="send">
          <input id="text" maxlength="500" autocomplete="off" placeholder="Say hello" required>
          <button type="submit">Send</button>
        </form>
        <p>In Plainsight, find the request answered with <code>101 Switching Protocols</code>:
        that is the upgrade. Over <code>ws://</code> every message is readable on the wire; over
        <code>wss://</code> only if the proxy intercepts TLS.</p>
        <script src="/chat.js"></script>
        """.formatted(https ? "wss://" : "ws://"));
  }

  static String notFound(boolean https) {
    return page("Not found", https, "<h1>Not found</h1>\n<p>There is no such page. "
        + "Go back <a href=\"/\">home</a>.</p>\n");
  }

  /** The box at the top of every page: how this very page reached the browser. */
  static String transport(boolean https) {
    return https
        ? """
          <aside class="transport https"><strong>This page came over HTTPS.</strong> On the wire it
          is encrypted: an eavesdropper sees which site you visit and how much data moves, not what
          you read or type. Unless your device trusts an extra certificate authority, such as the
          Plainsight workshop CA: then the proxy can decrypt and read everything.</aside>
          """
        : """
          <aside class="transport http"><strong>This page came over plain HTTP.</strong> Everything,
          the address, this page, what you type and your cookies, crosses the network as readable
          text. Anyone on the path (the café Wi-Fi, the proxy in this room) can read it, and even
          change it.</aside>
          """;
  }

  private static String page(String title, boolean https, String body) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s - %s</title>
        <link rel="stylesheet" href="/style.css">
        </head>
        <body>
        <header><a href="/"><img src="/logo.png" alt="" width="32" height="32"> %s</a>
        <nav><a href="/login">Log in</a> <a href="/session">Session</a>
        <a href="/api/profile">Profile API</a> <a href="/chat">Chat</a></nav></header>
        <main>
        %s%s</main>
        </body>
        </html>
        """.formatted(title, SITE_NAME, SITE_NAME, transport(https), body);
  }

  static final String STYLE = """
      body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #fbfaf6; }
      header { display: flex; justify-content: space-between; align-items: center; gap: 1em;
        padding: .5em 1em; background: #2f6fbf; flex-wrap: wrap; }
      header a { color: #fff; text-decoration: none; font-weight: 600; }
      header img { vertical-align: middle; }
      nav a { margin-left: 1em; font-weight: 400; }
      main { max-width: 46em; margin: 0 auto; padding: 1em; }
      .transport { padding: .75em 1em; border-radius: 6px; margin: 1em 0; }
      .transport.http { background: #fde8e4; border-left: 6px solid #c0392b; }
      .transport.https { background: #e4f3e8; border-left: 6px solid #2e8b57; }
      .cards li { margin: .5em 0; }
      .cards span { display: block; color: #555; font-size: .9em; }
      form { display: flex; flex-direction: column; gap: .5em; max-width: 22em; }
      #send { flex-direction: row; max-width: none; }
      #send input { flex: 1; }
      input, button { font: inherit; padding: .3em .5em; }
      pre, code { background: #eee; padding: 0 .2em; border-radius: 3px; }
      pre { padding: .5em; overflow-x: auto; }
      .error { color: #c0392b; font-weight: 600; }
      #messages { list-style: none; padding: 0; min-height: 4em; border: 1px solid #ddd;
        border-radius: 6px; padding: .5em; background: #fff; }
      """;

  /** The chat client: messages are shown with textContent, never parsed as HTML. */
  static final String CHAT_SCRIPT = """
      (function () {
        var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        var socket = new WebSocket(scheme + location.host + '/chat');
        var status = document.getElementById('status');
        var list = document.getElementById('messages');
        function show(text) {
          var item = document.createElement('li');
          item.textContent = text;
          list.appendChild(item);
        }
        socket.onopen = function () { status.textContent = 'connected'; };
        socket.onclose = function () { status.textContent = 'disconnected (reload to reconnect)'; };
        socket.onmessage = function (event) { show(event.data); };
        document.getElementById('send').addEventListener('submit', function (event) {
          event.preventDefault();
          var input = document.getElementById('text');
          if (input.value && socket.readyState === WebSocket.OPEN) {
            socket.send(input.value);
            input.value = '';
          }
        });
      })();
      """;
}

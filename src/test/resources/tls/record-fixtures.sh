#!/usr/bin/env bash
# Re-records the TLS fixtures in this folder from real clients and servers on 127.0.0.1.
# Needs: python3, openssl, curl, java (17+), optionally chromium. See README.md.
# Usage: bash record-fixtures.sh [OUTDIR]   (default: this folder)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE}"
CAP="python3 $HERE/capture.py"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
HOST=plainsight.test
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P=$(free_port)   # capture / relay port
T=$(free_port)   # openssl s_server port
while [ "$T" = "$P" ]; do T=$(free_port); done

# A throwaway CA and a leaf for plainsight.test, both EC P-256 to keep the flights small.
cd "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -days 3650 -subj "/O=Plainsight/CN=Plainsight Test CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
  -subj "/O=Plainsight/CN=$HOST" 2>/dev/null
printf "subjectAltName=DNS:%s,IP:127.0.0.1\n" "$HOST" > ext.cnf
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
  -days 3650 -extfile ext.cnf 2>/dev/null

hello() {  # hello NAME CLIENT-COMMAND...: save the first ClientHello the client sends
  local name="$1"; shift
  $CAP hello $P "$OUT/$name" &
  local cap=$!
  sleep 1
  timeout 20 "$@" >/dev/null 2>&1 </dev/null || true
  wait $cap
}

server() {  # server ARGS...: one-shot openssl s_server on $T, echoing lines reversed
  sleep 3 | openssl s_server -accept $T -naccept 1 -cert leaf.pem -key leaf.key \
    -cert_chain ca.pem -rev -quiet "$@" >/dev/null 2>&1 &
  sleep 1
}

conversation() {  # conversation NAME SERVER-ARGS -- CLIENT-COMMAND...
  local name="$1"; shift
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift
  server "${args[@]}"
  $CAP relay $P $T "$OUT/$name" &
  local relay=$!
  sleep 1
  timeout 20 bash -c '"$@"' _ "$@" >/dev/null 2>&1 || true
  wait $relay
  wait || true
}

sclient() {  # openssl s_client through the relay, sending one line then closing
  (echo hello; sleep 1) | openssl s_client -connect 127.0.0.1:$P -servername $HOST \
    -CAfile ca.pem -no_ign_eof "$@"
}
export -f sclient
export P HOST

# ClientHellos
hello client-hello-curl.bin curl -s -k --resolve $HOST:$P:127.0.0.1 https://$HOST:$P/
hello client-hello-openssl-tls12.bin openssl s_client -connect 127.0.0.1:$P -servername $HOST \
  -tls1_2 -alpn http/1.1
hello client-hello-openssl-tls13.bin openssl s_client -connect 127.0.0.1:$P -servername $HOST \
  -tls1_3
cat > Fetch.java <<'EOF'
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class Fetch {
  public static void main(String[] args) throws Exception {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(args[0])).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException expected) {
      System.out.println(expected);
    }
  }
}
EOF
echo "127.0.0.1 $HOST" > hosts
hello client-hello-java17.bin java -Djdk.net.hosts.file="$WORK/hosts" Fetch.java \
  https://$HOST:$P/
if command -v chromium >/dev/null; then
  hello client-hello-chromium.bin chromium --headless --no-sandbox --disable-gpu \
    --user-data-dir="$WORK/chromium" --host-resolver-rules="MAP $HOST 127.0.0.1" \
    --dump-dom https://$HOST:$P/
fi

# Whole conversations through the relay
conversation conversation-tls12.conv -tls1_2 -alpn http/1.1 -- sclient -tls1_2 -alpn h2,http/1.1
conversation conversation-tls13.conv -tls1_3 -- sclient -tls1_3
conversation conversation-hrr.conv -tls1_3 -groups secp384r1 -- sclient -tls1_3
conversation conversation-curl-refuses-tls12.conv -tls1_2 -- \
  curl -s --tlsv1.2 --tls-max 1.2 --resolve $HOST:$P:127.0.0.1 https://$HOST:$P/

# Flights and the alert record cut out of the conversations
$CAP cut "$OUT/conversation-tls12.conv" S 4 "$OUT/server-flight-tls12.bin"
$CAP cut "$OUT/conversation-tls13.conv" S 6 "$OUT/server-flight-tls13.bin"
$CAP cut "$OUT/conversation-curl-refuses-tls12.conv" C 2 "$WORK/client.bin"
tail -c 7 "$WORK/client.bin" > "$OUT/alert-unknown-ca.bin"
ls -l "$OUT"

#!/usr/bin/env python3
"""Records the TLS byte fixtures next to this file (see README.md). Loopback only.

  capture.py hello PORT OUT          accept one connection on 127.0.0.1:PORT, save the client's
                                     bytes up to the end of its first ClientHello, then close
  capture.py relay PORT TARGET OUT   accept one connection on 127.0.0.1:PORT, relay it to
                                     127.0.0.1:TARGET and save both directions as a .conv file
  capture.py cut CONV DIR N OUT      save the first N records sent in direction DIR (C or S)
  capture.py dump FILE               list the records of a .bin or .conv file

A .conv file is a sequence of chunks, each: 1 byte direction ('C' client->server,
'S' server->client), u32 big-endian milliseconds since the first chunk, u32 big-endian
length, then that many bytes, exactly as one recv() returned them.
"""
import select
import socket
import struct
import sys
import time


def listen(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    srv.settimeout(60)
    return srv


def records(data):
    """Yields (type, version, payload) for each complete record in data."""
    pos = 0
    while pos + 5 <= len(data):
        ctype, version, length = struct.unpack(">BHH", data[pos:pos + 5])
        if pos + 5 + length > len(data):
            return
        yield ctype, version, data[pos + 5:pos + 5 + length]
        pos += 5 + length


def client_hello_end(data):
    """Byte count up to the end of the record completing the first handshake message, or None."""
    pos, handshake = 0, b""
    while pos + 5 <= len(data):
        length = struct.unpack(">H", data[pos + 3:pos + 5])[0]
        if pos + 5 + length > len(data):
            return None
        handshake += data[pos + 5:pos + 5 + length]
        pos += 5 + length
        if len(handshake) >= 4 and len(handshake) >= 4 + int.from_bytes(handshake[1:4], "big"):
            return pos
    return None


def hello(port, out):
    srv = listen(port)
    conn, _ = srv.accept()
    conn.settimeout(10)
    data = b""
    while client_hello_end(data) is None:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    end = client_hello_end(data) or len(data)
    with open(out, "wb") as f:
        f.write(data[:end])
    conn.close()
    srv.close()
    print(f"{out}: {end} bytes")


def relay(port, target, out):
    srv = listen(port)
    client, _ = srv.accept()
    server = socket.create_connection(("127.0.0.1", target))
    peers = {client: (server, b"C"), server: (client, b"S")}
    chunks, start, open_socks = [], None, {client, server}
    deadline = time.time() + 15
    while open_socks and time.time() < deadline:
        readable, _, _ = select.select(list(open_socks), [], [], 0.5)
        for sock in readable:
            other, tag = peers[sock]
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                open_socks.discard(sock)
                try:
                    other.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            now = time.monotonic()
            start = start if start is not None else now
            chunks.append((tag, int((now - start) * 1000), data))
            try:
                other.sendall(data)
            except OSError:
                pass
    with open(out, "wb") as f:
        for tag, millis, data in chunks:
            f.write(tag + struct.pack(">II", millis, len(data)) + data)
    print(f"{out}: {len(chunks)} chunks")


def read_conv(path):
    with open(path, "rb") as f:
        raw = f.read()
    pos = 0
    while pos < len(raw):
        tag = raw[pos:pos + 1].decode()
        millis, length = struct.unpack(">II", raw[pos + 1:pos + 9])
        yield tag, millis, raw[pos + 9:pos + 9 + length]
        pos += 9 + length


def cut(conv, direction, count, out):
    stream = b"".join(data for tag, _, data in read_conv(conv) if tag == direction)
    pos = 0
    for _ in range(count):
        pos += 5 + struct.unpack(">H", stream[pos + 3:pos + 5])[0]
    with open(out, "wb") as f:
        f.write(stream[:pos])
    print(f"{out}: {pos} bytes")


def dump(path):
    if path.endswith(".conv"):
        streams = {"C": b"", "S": b""}
        for tag, millis, data in read_conv(path):
            print(f"chunk {tag} +{millis}ms {len(data)} bytes")
            streams[tag] += data
    else:
        with open(path, "rb") as f:
            streams = {"?": f.read()}
    for tag, data in streams.items():
        for ctype, version, payload in records(data):
            first = f" hs={payload[0]}" if ctype == 22 and payload else ""
            print(f"{tag} type={ctype} version={version:#06x} len={len(payload)}{first}")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "hello":
        hello(int(args[0]), args[1])
    elif cmd == "relay":
        relay(int(args[0]), int(args[1]), args[2])
    elif cmd == "cut":
        cut(args[0], args[1], int(args[2]), args[3])
    elif cmd == "dump":
        dump(args[0])
    else:
        sys.exit(__doc__)

#!/usr/bin/env python3
"""production.py - clients and fake servers for tests/65-production.bats.

  fake MODE PORTFILE      listen on 127.0.0.1, write the port to PORTFILE, then
                          for 20 s (at most) serve connections: MODE silent
                          (accept, read, never answer), garbage (answer
                          "SSH-2.0-x"), close (close at once), slow (send
                          "HTTP/1.1 2" and stall)
  send PORT HEX [WAIT]    connect, send the bytes HEX (hex digits), print what
                          comes back (repr), or "closed: NOTHING" when the
                          connection ends with no byte; WAIT seconds at most (5)
  proxy2 FAMILY SRC SPORT the bytes (hex) of a PROXY v2 header: FAMILY 4, 6,
                          local
  load PORT N CONNS PATH  N GET requests for PATH?n=I (I = 0..N-1) over CONNS
                          keep-alive connections at once; prints "STATUS COUNT"
                          per status, then "connections CONNS"; with HALFWAY set
                          in the environment, creates that file once half of
                          the responses have come
  jsonlog FILE            parse every line of FILE as JSON (and it must have
                          exactly the keys of --log-format json); print them
                          as repr, one a line
  metrics PORT PATH       fetch PATH, check every line against the text format
                          0.0.4 and print "NAME{LABELS} VALUE" lines as
                          "NAME{LABELS}=VALUE"
"""
import json
import os
import re
import socket
import struct
import sys
import threading
import time


def fake(mode, portfile):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    s.settimeout(0.2)
    end = time.time() + 20
    held = []
    while time.time() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        if mode == "silent":
            held.append(c)
        elif mode == "garbage":
            c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
            c.close()
        elif mode == "close":
            c.close()
        elif mode == "slow":
            c.sendall(b"HTTP/1.1 2")
            held.append(c)


def send(port, data, wait=5.0):
    c = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        c.sendall(data)
    except OSError:
        pass
    got = b""
    end = time.time() + wait
    try:
        while time.time() < end:
            c.settimeout(max(0.01, end - time.time()))
            d = c.recv(65536)
            if not d:
                break
            got += d
    except socket.timeout:
        print("timeout: " + repr(got))
        return
    except ConnectionResetError:
        pass
    print(repr(got) if got else "closed: NOTHING")


def proxy2(family, src, sport):
    sig = b"\r\n\r\n\x00\r\nQUIT\n"
    if family == "4":
        body = socket.inet_pton(socket.AF_INET, src) + socket.inet_pton(socket.AF_INET, "127.0.0.1")
        return sig + bytes([0x21, 0x11]) + struct.pack(">H", 12) + body + struct.pack(">HH", int(sport), 80)
    if family == "6":
        body = socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, "::1")
        return sig + bytes([0x21, 0x21]) + struct.pack(">H", 36) + body + struct.pack(">HH", int(sport), 80)
    return sig + bytes([0x20, 0x00, 0, 0])


def read_response(f):
    line = f.readline()
    status = int(line.split()[1])
    length = 0
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, _, v = h.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    f.read(length)
    return status


def load(port, n, conns, path):
    counts = {}
    lock = threading.Lock()
    jobs = list(range(n))
    halfway = os.environ.get("HALFWAY")

    def worker():
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        f = c.makefile("rb")
        while True:
            with lock:
                if not jobs:
                    break
                i = jobs.pop()
            c.sendall(f"GET {path}?n={i} HTTP/1.1\r\nHost: x\r\nUser-Agent: load/{i}\r\n\r\n".encode())
            st = read_response(f)
            with lock:
                counts[st] = counts.get(st, 0) + 1
                if halfway and sum(counts.values()) == n // 2:
                    open(halfway, "w").close()
        c.close()

    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for st in sorted(counts):
        print(st, counts[st])
    print("connections", conns)


JSON_KEYS = {"time", "client", "method", "target", "protocol", "status", "bytes", "referer", "user_agent",
             "duration_us"}


def jsonlog(path):
    with open(path, "rb") as f:
        for raw in f:
            obj = json.loads(raw.decode("utf-8"))
            keys = set(obj)
            assert keys == JSON_KEYS or keys == JSON_KEYS | {"request"}, keys
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", obj["time"]), obj["time"]
            assert isinstance(obj["status"], int) and isinstance(obj["bytes"], int)
            assert isinstance(obj["duration_us"], int) and obj["duration_us"] >= 0
            print(repr(obj))


SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"\})? (\d+)')


def metrics(port, path):
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    c.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        d = c.recv(65536)
        if not d:
            break
        data += d
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:40]
    assert b"\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n" in head, head
    text = body.decode()
    assert text.endswith("\n")
    typed = set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge"), line
            typed.add(name)
            continue
        m = SAMPLE.fullmatch(line)
        assert m, line
        assert m.group(1) in typed, "a sample before its TYPE: " + line
        print(f"{m.group(1)}{m.group(2) or ''}={m.group(3)}")


def main():
    cmd = sys.argv[1]
    if cmd == "fake":
        fake(sys.argv[2], sys.argv[3])
    elif cmd == "send":
        send(int(sys.argv[2]), bytes.fromhex(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) > 4 else 5.0)
    elif cmd == "proxy2":
        print(proxy2(*sys.argv[2:5]).hex())
    elif cmd == "load":
        load(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif cmd == "jsonlog":
        jsonlog(sys.argv[2])
    elif cmd == "metrics":
        metrics(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit("unknown command " + cmd)


main()

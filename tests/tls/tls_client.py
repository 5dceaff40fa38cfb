#!/usr/bin/env python3
"""tls_client.py - TLS clients and probes for tests/90-tls.bats (Python's ssl
module, i.e. OpenSSL, as another implementation than the server's).

  keepalive PORT CA N        N requests for / on one connection; prints the
                             statuses and how many connections were used
  concurrent PORT CA N       N connections at once, each a full handshake and
                             a GET /; prints "N ok" or what failed
  idle PORT CA N SECONDS     N handshakes, then hold them SECONDS, then check
                             every one still answers
  memsearch PID KEYFILE      1 if the private scalar of the P-256 key in
                             KEYFILE appears anywhere in process PID's memory,
                             as big-endian bytes (the file's form) or as
                             little-endian 64-bit limbs (the signer's form)
  raw PORT HEX [SECONDS]     send bytes, print the reply's first bytes in hex
                             (what a client that is not TLS sees)
  hold PORT CA READY GO      one connection: a request, then create the file
                             READY and wait (30 s at most) for the file GO,
                             then a second request on the same connection;
                             prints both statuses
"""
import asyncio
import re
import resource
import socket
import ssl
import subprocess
import sys
import time


def context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx


def keepalive(port, ca, n):
    import http.client
    conn = http.client.HTTPSConnection("localhost", int(port), context=context(ca), timeout=10)
    statuses = []
    socks = set()
    for _ in range(int(n)):
        conn.request("GET", "/")
        r = conn.getresponse()
        r.read()
        statuses.append(r.status)
        socks.add(id(conn.sock))
    print(" ".join(map(str, statuses)), "connections=%d" % len(socks), "version=%s" % conn.sock.version())
    conn.close()


async def one(port, ctx, hold=0.0):
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", int(port), ssl=ctx, server_hostname="localhost"), 60)
    if hold:
        await asyncio.sleep(hold)
    writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    data = await asyncio.wait_for(reader.read(), 60)
    writer.close()
    return data.split(b"\r\n", 1)[0]


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def many(port, ca, n, hold=0.0):
    ctx = context(ca)
    results = await asyncio.gather(*(one(port, ctx, hold) for _ in range(n)), return_exceptions=True)
    good = sum(1 for r in results if isinstance(r, bytes) and r.endswith(b"200 OK"))
    bad = [r for r in results if not (isinstance(r, bytes) and r.endswith(b"200 OK"))]
    print("%d ok" % good, *(repr(b)[:80] for b in bad[:3]))


def memsearch(pid, keyfile):
    out = subprocess.run(["openssl", "ec", "-in", keyfile, "-text", "-noout"], capture_output=True, text=True).stdout
    m = re.search(r"priv:\s*((?:[0-9a-f]{2}:?\s*)+)pub:", out)
    scalar = bytes.fromhex(re.sub(r"[^0-9a-f]", "", m.group(1)))
    scalar = scalar[-32:].rjust(32, b"\0")
    forms = (scalar, scalar[::-1])
    found = 0
    with open("/proc/%s/maps" % pid) as maps, open("/proc/%s/mem" % pid, "rb", 0) as mem:
        for line in maps:
            addr, perms = line.split()[:2]
            if "r" not in perms:
                continue
            start, end = (int(x, 16) for x in addr.split("-"))
            try:
                mem.seek(start)
                data = mem.read(end - start)
                if any(f in data for f in forms):
                    found = 1
            except (OSError, ValueError, OverflowError):
                pass
    print(found)


def hold(port, ca, ready, go):
    import http.client
    import os
    conn = http.client.HTTPSConnection("localhost", int(port), context=context(ca), timeout=30)
    statuses = []
    conn.request("GET", "/")
    r = conn.getresponse()
    r.read()
    statuses.append(r.status)
    open(ready, "w").close()
    for _ in range(300):
        if os.path.exists(go):
            break
        time.sleep(0.1)
    conn.request("GET", "/")
    r = conn.getresponse()
    r.read()
    statuses.append(r.status)
    print(*statuses)


def raw(port, hexbytes, seconds="3"):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=float(seconds))
    s.sendall(bytes.fromhex(hexbytes))
    try:
        data = s.recv(64)
    except socket.timeout:
        data = b"timeout"
    print(data.hex() if data != b"timeout" else "timeout")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "keepalive":
        keepalive(*args)
    elif cmd == "concurrent":
        raise_nofile()
        asyncio.run(many(args[0], args[1], int(args[2])))
    elif cmd == "idle":
        raise_nofile()
        asyncio.run(many(args[0], args[1], int(args[2]), float(args[3])))
    elif cmd == "memsearch":
        memsearch(*args)
    elif cmd == "raw":
        raw(*args)
    elif cmd == "hold":
        hold(*args)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The front-door attacks of issue 16, for scripts/stress-server (loopback only, every loop
bounded). Usage: stress-attacks.py HOST:PORT ATTACK [SECONDS]

Each attack runs until it is done or SECONDS have passed, then prints one summary line. The
server must answer every attack (or close) and keep serving others meanwhile; stress-server runs
a signed authorize load beside each one and reports its latency."""
import socket
import sys
import threading
import time

host, port = sys.argv[1].rsplit(":", 1)
ADDR = (host, int(port))
attack = sys.argv[2]
secs = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
until = time.time() + secs


def exchange(raw, src=None, timeout=20):
    s = socket.socket()
    if src:
        s.bind((src, 0))
    s.settimeout(timeout)
    s.connect(ADDR)
    try:
        s.sendall(raw)
    except OSError:
        pass
    data = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    except OSError:
        pass
    s.close()
    return data[:12].decode("latin-1")


def status_counts(results):
    out = {}
    for r in results:
        k = r[9:12] or "closed"
        out[k] = out.get(k, 0) + 1
    return out


def http2():
    lines = [b"GET /v1/health HTTP/2.0\r\n\r\n", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
             b"GET / HTTP/3.0\r\n\r\n"]
    res = [exchange(lines[i % 3]) for i in range(1100) if time.time() < until]
    return f"{len(res)} HTTP/2+ request lines: {status_counts(res)}"


def big_heads():
    res = [exchange(b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\n\r\n"),
           exchange(b"GET / HTTP/1.1\r\nX: " + b"a" * (1 << 20) + b"\r\n\r\n"),
           exchange(b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(20000)) + b"\r\n")]

    def endless(out):
        s = socket.socket()
        s.settimeout(20)
        s.connect(ADDR)
        sent = 0
        try:
            s.sendall(b"GET / HTTP/1.1\r\nX-Endless: ")
            chunk = b"a" * (1 << 20)
            for _ in range(200):
                s.sendall(chunk)
                sent += 1
        except OSError:
            pass
        out.append(sent)
        s.close()
    sent = []
    ts = [threading.Thread(target=endless, args=(sent,)) for _ in range(4)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return f"1 MB URL, 1 MB header, 20,000 headers: {status_counts(res)}; 4 x 200 MB header lines: MB accepted before close {sent}"


def trickle(head, step, n):
    res = []

    def one():
        s = socket.socket()
        s.settimeout(60)
        try:
            s.connect(ADDR)
            s.sendall(head)
            s.settimeout(1)
            while time.time() < until:
                s.sendall(step)
                try:
                    b = s.recv(100)
                    res.append(b[:12].decode("latin-1"))
                    return
                except socket.timeout:
                    pass
        except OSError:
            res.append("closed")
        finally:
            s.close()
    ts = [threading.Thread(target=one) for _ in range(n)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return status_counts(res)


def slow_heads():
    counts = trickle(b"GET /v1/health HTTP/1.1\r\n", b"X-A: b\r\n", 200)
    return f"200 heads trickling a header line per second: {counts}"


def slow_bodies():
    head = b"POST /v1/agents/registration-challenge HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n"
    counts = trickle(head, b" ", 200)
    return f"200 bodies of 1 KiB trickled a byte per second: {counts}"


def one_peer():
    held, statuses = [], []
    # from 127.0.0.2, so that the authorize load beside it (from 127.0.0.1) is another peer
    for _ in range(300):
        s = socket.socket()
        s.settimeout(20)
        s.bind(("127.0.0.2", 0))
        s.connect(ADDR)
        s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        statuses.append(s.recv(4096)[:12].decode("latin-1"))
        held.append(s)
    other = exchange(b"GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n", src="127.0.0.3")
    while time.time() < until:
        time.sleep(0.2)
    [s.close() for s in held]
    return f"300 keep-alive connections from one peer: {status_counts(statuses)}; another peer meanwhile: {other[9:12]}"


def protocol():
    cases = [b"GET /v1/\xff HTTP/1.1\r\n\r\n", b"GET /v1/health HTTP/1.1\nHost: x\n\n",
             b"get /v1/health HTTP/1.1\r\n\r\n",
             b"POST /v1/agents/registration-challenge HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
             b"POST /v1/agents/registration-challenge HTTP/1.1\r\nContent-Length: 100000000000\r\n\r\n{"]
    res = []
    while time.time() < until and len(res) < 5000:
        res += [exchange(c) for c in cases]
    return f"{len(res)} malformed heads and absurd lengths: {status_counts(res)}"


print(dict(http2=http2, big_heads=big_heads, slow_heads=slow_heads, slow_bodies=slow_bodies,
           one_peer=one_peer, protocol=protocol)[attack]())

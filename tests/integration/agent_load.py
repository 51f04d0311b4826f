#!/usr/bin/env python3
"""Load and abuse for dstack-guest-agent, with its own tiny HTTP client (no
project code): GOOD threads make GetKey calls whose keys must equal the
spec 11.3 vectors, while others send bad JSON, oversized bodies, garbage,
half-closed requests and slowloris headers. Exits non-zero on any wrong
answer to a good request.
Usage: agent_load.py SOCKET GOOD BAD ROUNDS"""
import json
import socket
import sys
import threading
import time

VECTORS = {
    "": "aa221ae548b5a8f52fcb8687cfd873712f6a1232b2717e5ee3d58ab74f21905b",
    "/": "f6c1ed94488394d78e0a4e5ab75d62e9f085d73b0b555d0614fb90ca13d9464d",
    "/test": "5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d",
    "vms": "1091a4d6721f6a719ca57320e4975f7e237649131111ee1c5032f661dc1cfef2",
    "my/key/path": "866d0884686e5afdbdaace8bd77c0b4f69a30dbe9506d69270a07bf247c8f4f0",
}
sock_path, n_good, n_bad, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
errors = []
lock = threading.Lock()


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(sock_path)
    return s


def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise IOError("closed before the headers")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = next(int(l.split(":")[1]) for l in lines[1:] if l.lower().startswith("content-length:"))
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise IOError("short body")
        body += chunk
    return status, body[:length]


def good(idx):
    paths = list(VECTORS)
    for i in range(rounds):
        path = paths[(idx + i) % len(paths)]
        body = json.dumps({"path": path, "purpose": "load"}).encode()
        req = (b"POST /GetKey HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
        try:
            with connect() as s:
                s.sendall(req)
                status, resp = read_response(s)
            key = json.loads(resp)["key"]
            if status != 200 or key != VECTORS[path]:
                raise ValueError(f"status {status} key {key} for {path!r}")
        except Exception as e:  # noqa: BLE001 - every failure is recorded
            with lock:
                errors.append(f"good {idx}/{i}: {e}")


def bad(idx):
    kind = idx % 6
    try:
        with connect() as s:
            if kind == 0:      # bad JSON
                body = b'{"path":'
                s.sendall(b"POST /GetKey HTTP/1.1\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n" % len(body) + body)
                status, _ = read_response(s)
                assert status == 400, status
            elif kind == 1:    # declared oversize, body never sent
                s.sendall(b"POST /GetKey HTTP/1.1\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 100000000\r\n\r\n{")
                status, _ = read_response(s)
                assert status == 400, status
            elif kind == 2:    # chunked oversize
                s.sendall(b"POST /GetKey HTTP/1.1\r\nContent-Type: application/json\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n")
                try:
                    for _ in range(40):
                        s.sendall(b"1000\r\n" + b"a" * 4096 + b"\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif kind == 3:    # garbage
                s.sendall(bytes(range(256)) * 4 + b"\r\n\r\n")
                s.recv(4096)
            elif kind == 4:    # half-closed in the middle of the headers
                s.sendall(b"POST /GetKey HTTP/1.1\r\nContent-Le")
                s.shutdown(socket.SHUT_WR)
                s.recv(4096)
            else:              # slowloris: a byte now and then
                for b in b"POST /GetKey HTTP/1.1\r\nX-Slow: ":
                    s.sendall(bytes([b]))
                    time.sleep(0.05)
    except (OSError, IOError):
        pass
    except AssertionError as e:
        with lock:
            errors.append(f"bad {idx} kind {kind}: {e}")


threads = [threading.Thread(target=good, args=(i,)) for i in range(n_good)]
threads += [threading.Thread(target=bad, args=(i,)) for i in range(n_bad)]
t0 = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"{n_good * rounds} good requests, {n_bad} bad clients, {time.time() - t0:.1f} s, {len(errors)} errors")
for e in errors[:10]:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)

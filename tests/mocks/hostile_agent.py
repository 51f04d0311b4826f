#!/usr/bin/env python3
"""A deliberately hostile guest agent: one Unix socket per scenario in DIR
(DIR/<scenario>.sock), each answering every request with raw bytes written
straight to the socket, so it can send what no HTTP library would: bad status
lines, bodies longer or shorter than Content-Length, slow drips, huge bodies.

Standard library only; shares no code with the project.

  hostile_agent.py DIR     (creates DIR/ready when all sockets listen)
"""
import os
import socket
import sys
import threading
import time

KEY = "5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d"
SIG = "11" * 65


def response(status_line, body, headers=(), length="actual"):
    """Status line, headers and body; Content-Length is the body's length
    unless given (None: no Content-Length at all)."""
    if isinstance(body, str):
        body = body.encode()
    if length == "actual":
        length = len(body)
    head = [status_line, "Content-Type: application/json", "Connection: close"]
    if length is not None:
        head.append("Content-Length: %d" % length)
    head += headers
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def ok(body):
    return response("HTTP/1.1 200 OK", body)


def key_body(key):
    return '{"key":"%s","signature_chain":["%s",""]}' % (key, SIG)


GOOD = key_body(KEY)

# Sign of "test message" with the simulator's ed25519 signing key (spec
# guest-agent-api.md 11.4), and variants a client must refuse.
ED_PUB = "698f56bd587d8ce3ca8db0e1c361ba9d190089f98dc4d9df800ff92ed073a65d"
ED_SIG = ("7247b9514be1a72b9cb24334be3adab386901b69e434a66570fa3b8560c64c6f"
          "43c3f9fa03de5d676efd98554f15764f15efe69b64d1f77e99735ea509fb3d0c")
FORGED_SIG = ED_SIG[:-2] + "0d"


def sign_body(sig, pub=ED_PUB, first=None):
    return '{"signature":"%s","signature_chain":["%s","%s",""],"public_key":"%s"}' % (
        sig, sig if first is None else first, SIG, pub)


def chunked(body):
    out = b""
    for i in range(0, len(body), 7):
        piece = body[i:i + 7].encode()
        out += b"%x\r\n%s\r\n" % (len(piece), piece)
    return out + b"0\r\n\r\n"


# Scenario name -> bytes to send, or a callable taking the connection.
SCENARIOS = {
    # Well-formed answers: the client must accept these.
    "ok": ok(GOOD),
    "ok_no_length": response("HTTP/1.1 200 OK", GOOD, length=None),
    "ok_chunked": response("HTTP/1.1 200 OK", chunked(GOOD), ["Transfer-Encoding: chunked"], None),
    "ok_http10": response("HTTP/1.0 200 OK", GOOD),
    # Status: exactly 200 or nothing, whatever the body says.
    "status_500": response("HTTP/1.1 500 Internal Server Error", GOOD),
    "status_201": response("HTTP/1.1 201 Created", GOOD),
    "status_299": response("HTTP/1.1 299 OK", GOOD),
    "status_reason_200": response("HTTP/1.1 500 200 OK", GOOD),
    "status_2000": response("HTTP/1.1 2000 OK", GOOD),
    "status_missing": response("HTTP/1.1 OK 200", GOOD),
    "status_http09": GOOD.encode(),
    "status_400_error": response("HTTP/1.1 400 Bad Request",
                                 '{\n  "error": "Unsupported algorithm"\n}'),
    "status_400_escape": response("HTTP/1.1 400 Bad Request",
                                  '{"error":"evil\\u001b[2J\\nForged: line"}'),
    "status_404_html": response("HTTP/1.1 404 Not Found", "<html>" + KEY + "</html>"),
    # Framing.
    "truncated_body": response("HTTP/1.1 200 OK", GOOD[:60], length=len(GOOD)),
    "short_length": response("HTTP/1.1 200 OK", GOOD, length=60),
    "no_separator": b"HTTP/1.1 200 OK no proper crlf body " + GOOD.encode(),
    "close_silently": b"",
    "chunked_bad": response("HTTP/1.1 200 OK", b"zz\r\n" + GOOD.encode() + b"\r\n0\r\n\r\n",
                            ["Transfer-Encoding: chunked"], None),
    "huge_header": response("HTTP/1.1 200 OK", GOOD, ["X-Junk: " + "a" * 200000]),
    # Size: a key answer larger than the client's bound.
    "oversized": ok('{"key":"%s","signature_chain":[],"pad":"%s"}' % (KEY, "a" * 70000)),
    # Body: strict JSON and a real secret, or no key.
    "bad_json": ok('{"key":"%s",' % KEY),
    "trailing_garbage": ok(GOOD + "garbage"),
    "duplicate_key": ok('{"key":"%s","key":"%s","signature_chain":[]}' % ("22" * 32, KEY)),
    "not_object": ok('["%s"]' % KEY),
    "empty_body": ok(""),
    "missing_key": ok("{}"),
    "key_not_string": ok('{"key":12,"signature_chain":[]}'),
    "nonhex_key": ok(key_body("zzzznothex")),
    "odd_key": ok(key_body(KEY[:-1])),
    "short_key": ok(key_body("abcd")),
    "zero_key": ok(key_body("00" * 32)),
    "long_key": ok(key_body(KEY + "00")),
    "invalid_utf8": ok(b'{"key":"' + KEY.encode() + b'","signature_chain":["\xff"]}'),
    "missing_chain": ok('{"key":"%s"}' % KEY),
    # Sign, Verify, Attest answers.
    "sign_ok": ok(sign_body(ED_SIG)),
    "sign_bad_hex": ok(sign_body("zz" + ED_SIG[2:])),
    "sign_short": ok(sign_body(ED_SIG[:-2])),
    "sign_forged": ok(sign_body(FORGED_SIG)),
    "sign_other_key": ok(sign_body(ED_SIG, pub="fa7c30301ad155ca108e0a354d3508dcf738f01f15c280a414d09e92dc33badf")),
    "sign_chain": ok(sign_body(ED_SIG, first=FORGED_SIG)),
    "sign_not_found": response("HTTP/1.1 400 Bad Request", '{\n  "error": "Service not found: Sign"\n}'),
    "verify_lies": ok('{"valid":true}'),
    "verify_string": ok('{"valid":"false"}'),
    "attest_garbage": ok('{"attestation":"00ab"}'),
    "attest_empty": ok('{"attestation":""}'),
}


def huge_unbounded(conn):
    """200 without a length, then megabytes of body until the client stops."""
    conn.sendall(response("HTTP/1.1 200 OK", '{"key":"' + KEY + '","pad":"', length=None))
    chunk = b"a" * 65536
    for _ in range(256):
        conn.sendall(chunk)


def slow_drip(conn):
    """A valid answer, one byte every 200 ms: takes far longer than the timeout."""
    for b in ok(GOOD):
        conn.sendall(bytes([b]))
        time.sleep(0.2)


def stall(conn):
    """Reads the request, then says nothing for a long time."""
    time.sleep(30)


SCENARIOS.update(huge_unbounded=huge_unbounded, slow_drip=slow_drip, stall=stall)


def read_request(conn):
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        more = conn.recv(4096)
        if not more:
            return
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < min(length, 1 << 20):
        more = conn.recv(4096)
        if not more:
            return
        body += more


def serve_one(conn, action):
    try:
        read_request(conn)
        if callable(action):
            action(conn)
        else:
            conn.sendall(action)
        conn.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        conn.close()


def listen(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(16)
    return sock


def main():
    directory = sys.argv[1]
    listeners = [(listen(os.path.join(directory, name + ".sock")), action)
                 for name, action in SCENARIOS.items()]
    for sock, action in listeners:
        threading.Thread(target=accept_loop, args=(sock, action), daemon=True).start()
    open(os.path.join(directory, "ready"), "w").close()
    threading.Event().wait()


def accept_loop(sock, action):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_one, args=(conn, action), daemon=True).start()


if __name__ == "__main__":
    main()

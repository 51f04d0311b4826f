#!/usr/bin/env python3
"""Mock of the VMM host API (prpc over HTTP/1.1) for tests.

Serves on TCP 127.0.0.1 (an ephemeral port, written to --port-file) and/or a
Unix socket, records every request as one JSON line in --log, and answers:
  POST .../Notify?json         200 `null` (body must be {"event":S,"payload":S})
  POST .../GetSealingKey?json  200 {"encrypted_key":HEX,"provider_quote":HEX}
  anything else                404
unless --behaviour names a JSON file (re-read on every request) of the form
{"status": N, "body": TEXT, "repeat": N}, which overrides the reply.

GetSealingKey plays the local SGX key provider: it parses the TD quote (v4,
TDX), derives seed = sha256(SECRET || MRTD || RTMR0..3), seals it (libsodium
sealed box, python3-nacl) to the X25519 key in report_data[0:32], and returns
a structurally complete SGX DCAP v3 quote (dummy signatures) whose report
data starts with sha256(encrypted_key) and whose MRENCLAVE is
sha256("dstack mock local key provider"). --sealing-mode-file names a file
(re-read on every request) holding one mode; absent means "good":
  good          as above
  bad-binding   report data does not hash the encrypted key
  debug         the enclave's DEBUG attribute is set
  tdx-quote     the provider quote is a TDX quote (the guest's own)
  garbage-box   encrypted_key is random bytes
  wrong-key     the seed is sealed to another X25519 key
  short-seed    a 16-byte seed is sealed
Standard library (and python3-nacl, for GetSealingKey only); shares no code
with the project under test. Run it with /usr/bin/python3.
"""
import argparse
import hashlib
import json
import os
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROVIDER_SECRET = hashlib.sha256(b"mock SGX sealing key").digest()
MR_ENCLAVE = hashlib.sha256(b"dstack mock local key provider").digest()
MODES = ("good", "bad-binding", "debug", "tdx-quote", "garbage-box", "wrong-key", "short-seed")


def td_quote_fields(quote):
    """MRTD, RTMR0..3 and report data of a v4 TDX quote (TD 1.0 body)."""
    if len(quote) < 632:
        raise ValueError("TD quote too short")
    version = int.from_bytes(quote[0:2], "little")
    tee_type = int.from_bytes(quote[4:8], "little")
    if version != 4 or tee_type != 0x81:
        raise ValueError("not a v4 TDX quote")
    mr_td = quote[184:232]
    rtmrs = [quote[376 + 48 * i:424 + 48 * i] for i in range(4)]
    return mr_td, rtmrs, quote[568:632]


def sgx_quote(report_data, attributes0):
    """An SGX DCAP v3 quote, every auth-data part present, signatures dummy."""
    header = (
        (3).to_bytes(2, "little") + (2).to_bytes(2, "little")  # version, ECDSA-256
        + (0).to_bytes(4, "little")                            # TEE type SGX
        + (1).to_bytes(2, "little") + (1).to_bytes(2, "little")  # QE SVN, PCE SVN
        + bytes.fromhex("939a7233f79c4ca9940a0db3957f0607")    # Intel QE vendor id
        + bytes(20)
    )
    # cpu_svn, misc_select, reserved, attributes (offset 48), MRENCLAVE (64),
    # reserved, MRSIGNER (128), reserved, prod id, svn, reserved, report data (320)
    attributes = bytes([attributes0]) + bytes(15)
    body = (bytes(16) + bytes(4) + bytes(28) + attributes + MR_ENCLAVE + bytes(32)
            + hashlib.sha256(b"mock signer").digest() + bytes(96) + bytes(4) + bytes(60)
            + report_data.ljust(64, b"\0"))
    assert len(body) == 384
    qe_auth = b"\x11" * 32
    cert = b"-----BEGIN CERTIFICATE-----\nmock\n-----END CERTIFICATE-----\n"
    # signature, attestation key, QE report, its signature, QE auth data, cert data
    auth = (b"\x5a" * 64 + b"\xa5" * 64 + bytes(384) + b"\x3c" * 64
            + len(qe_auth).to_bytes(2, "little") + qe_auth
            + (5).to_bytes(2, "little") + len(cert).to_bytes(4, "little") + cert)
    return header + body + len(auth).to_bytes(4, "little") + auth


def sealing_key_reply(td_quote, mode):
    mr_td, rtmrs, report_data = td_quote_fields(td_quote)
    from nacl.public import PrivateKey, PublicKey, SealedBox  # only needed from here on

    seed = hashlib.sha256(PROVIDER_SECRET + mr_td + b"".join(rtmrs)).digest()
    recipient = PublicKey(report_data[:32])
    if mode == "wrong-key":
        recipient = PrivateKey.generate().public_key
    if mode == "short-seed":
        seed = seed[:16]
    encrypted = SealedBox(recipient).encrypt(seed)
    if mode == "garbage-box":
        encrypted = os.urandom(len(encrypted))
    binding = hashlib.sha256(b"not the key" if mode == "bad-binding" else encrypted).digest()
    quote = sgx_quote(binding, 0x06 if mode == "debug" else 0x04)  # 0x04: MODE64BIT
    if mode == "tdx-quote":
        quote = td_quote
    return {"encrypted_key": encrypted.hex(), "provider_quote": quote.hex()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    transport = "tcp"

    def address_string(self):
        return self.transport

    def log_message(self, fmt, *args):
        sys.stderr.write("mock: " + (fmt % args) + "\n")

    def record(self, body):
        entry = {
            "transport": self.transport,
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        with open(self.server.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")

    def reply(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def default_reply(self, body):
        if self.command != "POST":
            return 405, '{"error": "method not allowed"}'
        if self.path.endswith("/Notify?json"):
            try:
                msg = json.loads(body)
                ok = isinstance(msg.get("event"), str) and isinstance(msg.get("payload"), str)
            except (ValueError, AttributeError):
                ok = False
            return (200, "null") if ok else (400, '{\n  "error": "invalid Notification"\n}')
        if self.path.endswith("/GetSealingKey?json"):
            msg = json.loads(body)
            if not isinstance(msg.get("quote"), str) or not msg["quote"]:
                return 400, '{"error": "missing quote"}'
            try:
                return 200, json.dumps(sealing_key_reply(bytes.fromhex(msg["quote"]), self.sealing_mode()))
            except ValueError as e:
                return 400, json.dumps({"error": str(e)})
        return 404, '{"error": "no such method"}'

    def sealing_mode(self):
        path = self.server.sealing_mode_path
        mode = "good"
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                mode = f.read().strip()
        if mode not in MODES:
            raise ValueError("unknown sealing mode " + mode)
        return mode

    def handle_any(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.record(body)
        status, text = self.default_reply(body)
        behaviour = self.server.behaviour_path
        if behaviour and os.path.exists(behaviour):
            with open(behaviour, encoding="utf-8") as f:
                spec = json.load(f)
            status = spec.get("status", status)
            text = spec.get("body", text) * spec.get("repeat", 1)
        self.reply(status, text)

    do_POST = do_GET = do_PUT = handle_any


class UnixHandler(Handler):
    transport = "unix"


class TcpServer(ThreadingHTTPServer):
    daemon_threads = True


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def serve(server, args):
    server.log_path = args.log
    server.behaviour_path = args.behaviour
    server.sealing_mode_path = args.sealing_mode_file
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--port-file")
    parser.add_argument("--unix")
    parser.add_argument("--behaviour")
    parser.add_argument("--sealing-mode-file")
    args = parser.parse_args()
    threads = []
    if args.unix:
        if os.path.exists(args.unix):
            os.unlink(args.unix)
        threads.append(serve(UnixServer(args.unix, UnixHandler), args))
    if args.port_file:
        tcp = TcpServer(("127.0.0.1", 0), Handler)
        threads.append(serve(tcp, args))
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(str(tcp.server_address[1]))
        os.rename(tmp, args.port_file)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()

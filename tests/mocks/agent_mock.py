#!/usr/bin/env python3
"""A well-behaved mock of the dstack guest agent's local API (dstack.sock).

Written from spec guest-agent-api.md alone (standard library only, no project
code). Keys are derived as the agent does (HKDF-SHA256, salt "RATLS") from the
simulator's app key, so every path works; sig_app is the precomputed value of
spec 11.3 where one exists, else a filler. Every request is appended as one
JSON line to --log so tests can check what the client sent.

  agent_mock.py --unix PATH | --tcp PORT_FILE  --fixtures DIR [--old] [--log FILE]

--old behaves like an agent before 0.5.6: no Version, algorithm ignored,
EmitEvent accepted (appended to the log).
"""
import argparse
import hashlib
import hmac
import json
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

APP_KEY = bytes.fromhex("d6e88992cdeeee35fe70b5db61ab66cdb191fb9b6ec9313757ef162dd7214d5d")
KMS_SIG = ("9e618603e72d01fedb82deff6daf2d62a572becf0059eec3f89c1ab40e1f2e594d2a283f843f34e8"
           "f39e4cc49a612496ce67223a12ac923f8efe330346dfc6c500")
# sig_app of spec 11.3, by (path, purpose, algorithm).
SIG_APP = {
    ("", "", "secp256k1"): "64ce2f1b381d04f7404fda78bdc942c314d89b7069d97eea1897e51b249dd3b1700995cbf7efe7ff04195dd6e31f153b702eeeeaffc5941510739dc39b9bd9cf01",
    ("/", "test", "secp256k1"): "0b0fa470162c54f108850d143442c48d43f1cc42983b8e9c589679345b831d2b5bb5b97b21c2d2d036520209deae8b6111318c68eafc786190d6edc52e5cf0c201",
    ("/", "test", "ed25519"): "7752352aa2ad8b337a3845661073fb42ef1b1d3313d8ce0b8976ccc21505e0c62e79eb7aaf9b51768b0f9762e62098710ce4e8cabd450670b2fb0040e8551cb300",
    ("/test", "purpose", "secp256k1"): "044c2670fd19c6562e16dd745d3e2ebaf75b571874259a32f79f92bbfc1caec55b9bc3228cfd9332994e0ed821d4cf145ffd9e5de824f97f88725e32f0a335b800",
    ("/test/path", "test-purpose", "secp256k1"): "f50c51735a97072f0c98125ed61fc84e2fdb36e95990b9e57337dadc0e2a9712227f04e07209faecb8891d59ec144a6c13e411dc90b3423f28071bd3fe11978d01",
}
FILLER_SIG = "11" * 65

INFO = {
    "app_id": "5bb4ff9a3837357f19dc176407a5709c62eb6c56",
    "instance_id": "1691ed1b47506cad7d08834668691d88246f5b1f",
    "app_cert": "",
    "tcb_info": json.dumps({"mrtd": "e5" * 48, "rtmr3": "f2" * 48, "event_log": [], "app_compose": "{}"}),
    "app_name": "guest-agent",
    "device_id": "ab" * 32,
    "mr_aggregated": "cd" * 32,
    "os_image_hash": "e61be43dd1cc6a6f5edefd7c51b608983780839b0000ce60dd99737dcffe09b9",
    "key_provider_info": '{"name":"kms","id":"3059"}',
    "compose_hash": "c143116fef3940e7f776bfc0919c256232ae5338a6e948c96b711e0b2383483a",
    "vm_config": '{"cpu_count":2}',
}


def hkdf_sha256(ikm, info, salt=b"RATLS", length=32):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def unhex(value):
    while value.startswith("0x"):
        value = value[2:]
    return bytes.fromhex(value)


class Agent:
    def __init__(self, fixtures, old, log):
        self.old = old
        self.log = log
        with open(os.path.join(fixtures, "v0.5.4-simulator-quote.hex")) as f:
            self.quote = bytearray.fromhex(f.read().strip())
        with open(os.path.join(fixtures, "v0.5.4-simulator-eventlog.json")) as f:
            self.event_log = f.read().strip()
        with open(os.path.join(fixtures, "simulator-appkeys.json")) as f:
            keys = json.load(f)
        self.tls_key = keys["key_provider"]["None"]["key"]
        self.tls_cert = keys["ca_cert"]

    def record(self, entry):
        if self.log:
            with open(self.log, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def GetKey(self, req):
        alg = req.get("algorithm", "")
        if self.old:
            alg = "secp256k1"
        if alg in ("", "k256"):
            alg = "secp256k1"
        if alg not in ("secp256k1", "ed25519"):
            raise ValueError("Unsupported algorithm")
        path, purpose = req.get("path", ""), req.get("purpose", "")
        key = hkdf_sha256(APP_KEY, path.encode())
        sig = SIG_APP.get((path, purpose, alg), FILLER_SIG)
        return {"key": key.hex(), "signature_chain": [sig, KMS_SIG]}

    def GetQuote(self, req):
        data = unhex(req.get("report_data", ""))
        if len(data) > 64:
            raise ValueError("Report data is too long")
        data = data.ljust(64, b"\0")
        quote = bytearray(self.quote)
        quote[568:632] = data
        return {"quote": quote.hex(), "event_log": self.event_log, "report_data": data.hex(),
                "vm_config": INFO["vm_config"]}

    def Info(self, req):
        info = dict(INFO)
        if not self.old:
            info.update(cloud_vendor="QEMU", cloud_product="Standard PC")
        return info

    def GetTlsKey(self, req):
        return {"key": self.tls_key, "certificate_chain": [self.tls_cert]}

    def Version(self, req):
        if self.old:
            raise LookupError("Version")
        return {"version": "0.5.8", "rev": "mock"}

    def EmitEvent(self, req):
        if not self.old:
            raise LookupError("EmitEvent")
        if not req.get("event"):
            raise ValueError("event name cannot be empty")
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "dstack guest agent"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def error(self, message):
        self.answer(400, json.dumps({"error": message}, indent=2))

    def do_POST(self):
        agent = self.server.agent
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length) if length else b""
        method = self.path.lstrip("/")
        agent.record({"method": method, "body": raw.decode("utf-8", "replace"),
                      "content_type": self.headers.get("Content-Type")})
        if "/" in method or not method:
            return self.answer(404, "<html><body>404: Not Found</body></html>", "text/html")
        if self.headers.get("Content-Type") != "application/json":
            return self.error("mock: a client must send Content-Type: application/json")
        handler = getattr(agent, method, None) if method[:1].isupper() else None
        if handler is None:
            return self.error("Service not found: " + method)
        try:
            req = json.loads(raw) if raw else {}
            result = handler(req)
        except LookupError as e:
            return self.error("Service not found: %s" % e.args[0])
        except ValueError as e:
            return self.error(str(e))
        self.answer(200, "" if result is None else json.dumps(result, separators=(",", ":")))


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        sock, _ = super().get_request()
        return sock, ("local", 0)


class TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--unix")
    where.add_argument("--tcp", help="file to write the chosen port to")
    p.add_argument("--fixtures", required=True)
    p.add_argument("--old", action="store_true")
    p.add_argument("--log")
    args = p.parse_args()
    if args.unix:
        server = UnixServer(args.unix + ".tmp", Handler)
        os.rename(args.unix + ".tmp", args.unix)
    else:
        server = TcpServer(("127.0.0.1", 0), Handler)
        with open(args.tcp + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(args.tcp + ".tmp", args.tcp)
    server.agent = Agent(args.fixtures, args.old, args.log)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

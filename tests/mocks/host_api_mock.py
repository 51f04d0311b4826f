#!/usr/bin/env python3
"""Mock of the VMM host API (prpc over HTTP/1.1) for tests.

Serves on TCP 127.0.0.1 (an ephemeral port, written to --port-file) and/or a
Unix socket, records every request as one JSON line in --log, and answers:
  POST .../Notify?json         200 `null` (body must be {"event":S,"payload":S})
  POST .../GetSealingKey?json  200 {"encrypted_key":HEX,"provider_quote":HEX}
  anything else                404
unless --behaviour names a JSON file (re-read on every request) of the form
{"status": N, "body": TEXT, "repeat": N}, which overrides the reply.
Standard library only; shares no code with the project under test.
"""
import argparse
import json
import os
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEALED_KEY = "ab" * 48
PROVIDER_QUOTE = "0x" + "cd" * 64


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
            return 200, json.dumps({"encrypted_key": SEALED_KEY, "provider_quote": PROVIDER_QUOTE})
        return 404, '{"error": "no such method"}'

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
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--port-file")
    parser.add_argument("--unix")
    parser.add_argument("--behaviour")
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

#!/usr/bin/env python3
"""A fake Docker Engine API on a Unix socket, for the remove-orphans tests.

It serves the two calls remove-orphans makes, with the daemon's semantics:
  GET    [/vX.Y]/containers/json[?all=true]   running containers only unless all=true
  DELETE [/vX.Y]/containers/<id>?force=&v=    204, 404 unknown, 409 running without force
The container list is sent with Transfer-Encoding: chunked, as dockerd does
for large bodies. Every request line ("METHOD TARGET") is appended to the
log file so the test can check what was called.

State file (JSON):
  {"containers": [{"Id": ..., "State": "running", "Labels": {...}}, ...],
   "list_status": 200,             optional: fail the list with this status
   "list_body": "...",             optional: raw list body instead of JSON
   "delete_errors": {"<id>": [500, "message"]}}   optional per-container failure
"""
import argparse
import json
import os
import re
import socketserver
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

VERSION_PREFIX = re.compile(r"^/v[0-9]+\.[0-9]+(?=/)")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self):
        with self.server.lock, open(self.server.log, "a") as log:
            log.write(f"{self.command} {self.path}\n")

    def send_json(self, status, value, chunked=False):
        body = value if isinstance(value, bytes) else json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 97):
                part = body[i:i + 97]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def route(self):
        url = urlsplit(self.path)
        return VERSION_PREFIX.sub("", url.path), parse_qs(url.query)

    def do_GET(self):
        self.record()
        path, query = self.route()
        state = self.server.state
        if path != "/containers/json":
            return self.send_json(404, {"message": "page not found"})
        if "list_status" in state:
            return self.send_json(state["list_status"], {"message": "list failed on purpose"})
        if "list_body" in state:
            return self.send_json(200, state["list_body"].encode(), chunked=True)
        show_all = query.get("all", ["false"])[0] in ("1", "true")
        with self.server.lock:
            listed = [c for c in state["containers"]
                      if show_all or c.get("State") == "running"]
        self.send_json(200, listed, chunked=True)

    def do_DELETE(self):
        self.record()
        path, query = self.route()
        match = re.fullmatch(r"/containers/([^/]+)", path)
        if not match:
            return self.send_json(404, {"message": "page not found"})
        cid = match.group(1)
        state = self.server.state
        if cid in state.get("delete_errors", {}):
            status, message = state["delete_errors"][cid]
            return self.send_json(status, {"message": message})
        with self.server.lock:
            found = [c for c in state["containers"] if c.get("Id") == cid]
            if not found:
                return self.send_json(404, {"message": f"No such container: {cid}"})
            force = query.get("force", ["false"])[0] in ("1", "true")
            if found[0].get("State") == "running" and not force:
                return self.send_json(409, {"message": "cannot remove a running container"})
            state["containers"].remove(found[0])
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    with open(args.state) as f:
        state = json.load(f)
    if os.path.exists(args.socket):
        os.unlink(args.socket)
    server = Server(args.socket, Handler)
    server.state, server.log, server.lock = state, args.log, threading.Lock()
    open(args.log, "a").close()
    server.serve_forever()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A small HTTP server for the network tests, on 127.0.0.1 (port printed on stdout).

Serves the bytes of files under --root at /files/<path>, and fault endpoints:
  /404            404
  /slow           waits 5 s before answering (client timeouts)
  /truncated      announces 1000 bytes, sends 10, closes
  /loop           redirects to itself
  /big            streams 8 MiB (size caps)
  /redirect/<p>   302 to /files/<p>
  /trickle        announces 100000 bytes, then sends 1 byte a second (a slow-loris server;
                  gives up after 60 s)
  /stall          sends 100 of 100000 bytes, then nothing (gives up after 60 s)
  /publish        records each POST (headers + body) under --log; the first --fail-first
                  attempts answer 503
  /publish-401    401
Only the standard library: nothing to install.
"""
import argparse, http.server, json, os, socketserver, sys, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--root", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--fail-first", type=int, default=2)
args = ap.parse_args()
lock = threading.Lock()
state = {"publish_attempts": 0}


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p = self.path
        if p.startswith("/files/"):
            f = os.path.realpath(os.path.join(args.root, p[len("/files/"):]))
            if not f.startswith(os.path.realpath(args.root)) or not os.path.isfile(f):
                return self.send(404, b"not found")
            return self.send(200, open(f, "rb").read())
        if p.startswith("/redirect/"):
            return self.send(302, b"", [("Location", "/files/" + p[len("/redirect/"):])])
        if p == "/slow":
            time.sleep(5)
            return self.send(200, b"late")
        if p == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
            return
        if p in ("/trickle", "/stall"):
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                if p == "/stall":
                    self.wfile.write(b"x" * 100)
                    self.wfile.flush()
                    time.sleep(60)
                else:
                    for _ in range(60):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if p == "/loop":
            return self.send(302, b"", [("Location", "/loop")])
        if p == "/big":
            n = 8 << 20
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(n // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self.send(404, b"not found")

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if self.path == "/publish-401":
            return self.send(401, b"bad token")
        if self.path != "/publish":
            return self.send(404, b"")
        with lock:
            state["publish_attempts"] += 1
            attempt = state["publish_attempts"]
            with open(args.log, "a") as f:
                f.write(json.dumps({"attempt": attempt, "auth": self.headers.get("Authorization"),
                                    "type": self.headers.get("Content-Type"),
                                    "agent": self.headers.get("User-Agent"), "bytes": len(body),
                                    "schema": json.loads(body).get("schema") if body[:1] == b"{" else None}) + "\n")
        if attempt <= args.fail_first:
            return self.send(503, b"try again")
        self.send(200, b'{"ok": true}')


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()

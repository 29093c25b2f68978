#!/usr/bin/python3
# tests/fetch/server.py DIR PORTFILE LOGFILE - a small HTTP server for the fetch tests, standard
# library only. Binds 127.0.0.1 on a free port, writes the port to PORTFILE, logs each request's
# path and query to LOGFILE, and exits by itself after 300 seconds (tests stop it sooner).
#
#   /p/NAME              the file DIR/NAME as it is (200)
#   /debug/pprof/profile DIR/cpu.pb.gz (the default path of a HOST:PORT source)
#   /debug/pprof/heap    DIR/leak.heap.1.pb.gz
#   /404                 404 Not Found, body "no such profile: PATH\nsecond line\n"
#   /500pprof            500 with X-Go-Pprof and a text body, as net/http/pprof answers
#   /slow/N/NAME         waits N seconds, then DIR/NAME
#   /truncated/NAME      Content-Length of the whole file, half of it sent, connection closed
#   /endless             200, then bytes forever (a slow trickle, so -timeout ends it)
#   /text                200, a line of text in no profile format
#   /redirect/NAME       302 to /p/NAME
#   /flaky/NAME          404 on every odd-numbered request to it, the file on every even one
import http.server
import os
import sys
import threading
import time

root, portfile, logfile = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
flaky = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_file(self, name, half=False):
        path = os.path.join(root, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return self.not_found()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if half:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)

    def not_found(self):
        body = ("no such profile: %s\nsecond line\n" % self.path).encode()
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with lock:
            with open(logfile, "a") as f:
                f.write(self.path + "\n")
        path = self.path.split("?", 1)[0]
        parts = path.split("/")
        if path.startswith("/p/"):
            return self.send_file(parts[2])
        if path == "/debug/pprof/profile":
            return self.send_file("cpu.pb.gz")
        if path == "/debug/pprof/heap":
            return self.send_file("leak.heap.1.pb.gz")
        if path == "/500pprof":
            body = b"Could not enable CPU profiling: cpu profiling already in use\n"
            self.send_response(500)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("X-Go-Pprof", "1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path.startswith("/slow/") and len(parts) == 4:
            time.sleep(float(parts[2]))
            return self.send_file(parts[3])
        if path.startswith("/truncated/"):
            return self.send_file(parts[2], half=True)
        if path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            self.close_connection = True
            try:
                for _ in range(3000):  # at most 300 s
                    self.wfile.write(b"\x1f" * 64)
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        if path == "/text":
            body = b"this is not a profile, in no format\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path.startswith("/redirect/"):
            self.send_response(302)
            self.send_header("Location", "/p/" + parts[2])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path.startswith("/flaky/"):
            with lock:
                flaky[path] = flaky.get(path, 0) + 1
                n = flaky[path]
            if n % 2 == 1:
                return self.not_found()
            return self.send_file(parts[2])
        return self.not_found()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that gave up (timeout) closes its end: not an error of the test
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


srv = Server(("127.0.0.1", 0), Handler)
tmp = portfile + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(tmp, portfile)
threading.Timer(300, lambda: os._exit(0)).start()
srv.serve_forever()

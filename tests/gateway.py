"""A local HTTP server standing in for the province's SMS gateway: it keeps what it accepted,
drops a repeated idempotency key as a real gateway would, and can be switched into an outage
(every request answered 503) or into refusing numbers (400)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    def __init__(self):
        self.accepted: dict[str, dict] = {}  # idempotency key → message
        self.requests = 0  # every POST, repeats and failures included
        self.down = False
        self.refuse = False
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway.lock:
                    gateway.requests += 1
                    status = 503 if gateway.down else 400 if gateway.refuse else 200
                    if status == 200:
                        gateway.accepted.setdefault(self.headers["Idempotency-Key"], body)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def texts_to(self, phone: str) -> list[str]:
        return [m["text"] for m in self.accepted.values() if m["to"] == phone]

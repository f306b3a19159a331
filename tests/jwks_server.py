"""A real JWKS endpoint on 127.0.0.1, whose answer each test sets.

It listens on a free port chosen when it starts, answers from its own
threads, and counts the requests it receives, so the tests can tell when
the app fetched the key set. The test that starts it stops it.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# How long a hanging answer waits at most, should a test forget to stop it.
HANG_SECONDS = 30


class JWKSServer:
    """Serve ``key_set`` as JSON, or fail as ``mode`` says.

    Modes: ``"serve"``; ``"error"`` (HTTP 500); ``"garbage"`` (a body that is
    not JSON); ``"redirect"``; ``"hangup"`` (the connection closes without
    an answer); ``"hang"`` (no answer until the server stops).
    """

    def __init__(self, key_set: dict[str, Any] | None = None) -> None:
        self.key_set: Any = key_set if key_set is not None else {"keys": []}
        self.mode = "serve"
        self.hits = 0
        self.lock = threading.Lock()
        self.released = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.httpd.daemon_threads = True
        # A short poll interval: stop() waits for the loop to notice the shutdown.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/.well-known/jwks.json"

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server.lock:
                    server.hits += 1
                mode = server.mode
                if mode == "hang":
                    server.released.wait(HANG_SECONDS)
                    return
                if mode == "hangup":
                    self.close_connection = True
                    return
                if mode == "error":
                    self.answer(500, b'{"error": "internal"}')
                elif mode == "redirect":
                    self.send_response(302)
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere.json")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif mode == "garbage":
                    self.answer(200, b"<html>not a key set</html>")
                else:
                    self.answer(200, json.dumps(server.key_set).encode())

            def answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # Keep the test output clean.

        return Handler

    def stop(self) -> None:
        """Release hanging answers, stop listening, and wait for the serving thread."""
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

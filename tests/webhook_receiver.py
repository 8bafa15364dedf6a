"""A real HTTP receiver for webhook tests and the bench: a threaded http.server on a loopback port that records
every request (headers, body, arrival time) and answers with the statuses it is told (200 once they run out).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when it arrived

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    host: str = "127.0.0.1"
    statuses: deque = field(default_factory=deque)  # answers to give, in order, before 200s
    statuses_for: dict = field(default_factory=dict)  # record id -> answers for that record's events first
    delay: float = 0.0  # seconds to wait before answering
    received: list[Received] = field(default_factory=list)

    def __post_init__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 -- http.server's name
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver.lock:
                    receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                      body, time.time()))  # fmt: skip
                    status = receiver.next_status(body)
                location = None
                if isinstance(status, tuple):  # (3xx, Location)
                    status, location = status
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "text/plain")
                reply = b"ok" if status < 300 else b"receiver says no"
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def next_status(self, body: bytes) -> int:
        try:
            record = str(json.loads(body).get("data", {}).get("id"))
        except ValueError:
            record = None
        if self.statuses_for.get(record):
            return self.statuses_for[record].popleft()
        return self.statuses.popleft() if self.statuses else 200

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_port}/hooks"

    def of_type(self, event_type: str, record_id=None) -> list[Received]:
        with self.lock:
            items = list(self.received)
        return [r for r in items if r.json.get("type") == event_type
                and (record_id is None or r.json["data"].get("id") == str(record_id))]  # fmt: skip

    def wait_for(self, count: int, event_type: str, record_id=None, timeout: float = 20) -> list[Received]:
        """The received requests of that type (and record), once there are at least ``count``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of_type(event_type, record_id)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        return self.of_type(event_type, record_id)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

"""A real CalDAV server for the calendar sync's tests and bench: Radicale (a test dependency) in a subprocess on
a loopback port, its storage in a temporary directory, htpasswd authentication with plain passwords (no delay
after a refused login: every client's first request is one, before it sends its credentials)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import caldav


class CaldavServer:
    """``start()`` it, make calendars with ``calendar(user)``, ``stop()`` it."""

    def __init__(self, root: Path, users: dict[str, str]):
        self.root, self.users = root, users
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> CaldavServer:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "users").write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        log = open(self.root / "radicale.log", "ab")  # noqa: SIM115 -- kept open for the server's life
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", "", "--server-hosts", f"127.0.0.1:{self.port}",
             "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(self.root / "users"),
             "--auth-htpasswd-encryption", "plain", "--auth-delay", "0", "--storage-filesystem-folder", str(self.root / "storage"),
             "--logging-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log_text = (self.root / "radicale.log").read_text()[-2000:]
                    raise RuntimeError(f"Radicale did not start: {log_text}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self, user: str, password: str | None = None) -> caldav.DAVClient:
        return caldav.DAVClient(url=f"{self.url}/{user}/", username=user,
                                password=self.users[user] if password is None else password)  # fmt: skip

    def calendar(self, user: str):
        """A new, empty calendar of ``user``: (its URL, the caldav Calendar)."""
        name = f"cal-{uuid.uuid4().hex[:12]}"
        calendar = self.client(user).principal().make_calendar(name=name, cal_id=name)
        return f"{self.url}/{user}/{name}/", calendar

"""`crm serve` for real: gunicorn with two workers on a loopback port, against
the test database. Login throttling is stored in PostgreSQL, so it holds
whichever worker answers (SECURITY.md T13)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from dashboard import pg

CRM = str(Path(sys.executable).with_name("crm"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(admin_url, users):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=pg.libpq_url(admin_url), CRM_SECRET_KEY="serve-test-" + "k" * 40)
    env.pop("MIGRATION_DATABASE_URL", None)
    process = subprocess.Popen(
        [CRM, "serve", "--port", str(port), "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("crm serve did not come up: " + process.stdout.read().decode()[-2000:])
    yield base
    process.terminate()
    process.wait(timeout=20)


def attempt(base: str, email: str, password: str) -> int:
    """One login attempt in a fresh browser session (new connection each time)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    try:
        return opener.open(f"{base}/login", data=data, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_answers_health_and_login_page(server):
    assert urllib.request.urlopen(f"{server}/healthz", timeout=5).read() == b'{"database":"ok","status":"ok"}\n'
    assert "Log in" in urllib.request.urlopen(f"{server}/login", timeout=5).read().decode()


def test_login_throttle_holds_across_workers(server):
    email = f"lockout-{uuid.uuid4().hex[:8]}@test.example"
    answers = [attempt(server, email, "wrong-password") for _ in range(5)]
    # three free failures from this address, then the pair waits, whichever worker took it
    assert answers == [200, 200, 200, 429, 429]

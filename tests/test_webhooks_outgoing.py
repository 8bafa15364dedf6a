"""Outgoing webhook requests (dashboard/webhooks/outgoing.py): the address rule (SSRF), redirects, timeouts, and
the URL rules of registration. Only the loopback receiver started here is ever connected to: every other
address below is refused before any connection."""

from __future__ import annotations

import socket
from collections import deque

import pytest

from dashboard.services import webhooks
from dashboard.webhooks import outgoing
from tests.webhook_receiver import Receiver

BODY = b'{"type": "webhook.test"}'


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def private_refused(monkeypatch):
    monkeypatch.delenv("CRM_WEBHOOKS_ALLOW_PRIVATE", raising=False)


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.9", "192.168.1.1",
                                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
                                     "::1", "fe80::1", "fc00::5", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                                     "::"])  # fmt: skip
def test_private_loopback_link_local_and_multicast_addresses_are_forbidden(address):
    assert outgoing.is_forbidden(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert not outgoing.is_forbidden(address)


def test_the_loopback_receiver_is_refused_without_the_flag(receiver, private_refused):
    port = receiver.server.server_port
    for url in (f"http://127.0.0.1:{port}/hooks", f"http://localhost:{port}/hooks", f"http://[::1]:{port}/hooks"):
        answer = outgoing.post(url, BODY, {})
        assert answer.status is None and answer.error.startswith("refused:"), (url, answer)
    assert receiver.received == []  # nothing reached it


@pytest.mark.parametrize("address", ["10.0.0.5", "169.254.169.254", "::1"])
def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch, private_refused, address):
    """A public-looking name whose DNS answer holds a private address (even beside a public one): refused."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443)),
               (family, socket.SOCK_STREAM, 6, "", (address, 443))]  # fmt: skip
    connects = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *args, **kwargs: answers)
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connects.append(args))
    answer = outgoing.post("https://hooks.innocent.example/in", BODY, {})
    assert answer.error.startswith("refused: hooks.innocent.example resolves to a private") and address in answer.error
    assert connects == []


def test_with_the_flag_loopback_is_allowed(receiver, monkeypatch):
    monkeypatch.setenv("CRM_WEBHOOKS_ALLOW_PRIVATE", "true")
    answer = outgoing.post(receiver.url, BODY, {"webhook-id": "msg_1"})
    assert answer.ok and answer.status == 200 and answer.snippet == "ok"
    [request] = receiver.received
    assert request.body == BODY and request.headers["webhook-id"] == "msg_1"
    assert request.headers["host"] == f"127.0.0.1:{receiver.server.server_port}"


def test_redirects_are_not_followed(receiver, monkeypatch):
    monkeypatch.setenv("CRM_WEBHOOKS_ALLOW_PRIVATE", "true")
    receiver.statuses = deque([(302, "http://169.254.169.254/latest/meta-data/")])
    answer = outgoing.post(receiver.url, BODY, {})
    assert not answer.ok and answer.status == 302
    assert answer.error == "redirect not followed (Location: http://169.254.169.254/latest/meta-data/)"
    assert len(receiver.received) == 1  # the redirect's target was never asked


def test_a_slow_receiver_times_out(receiver, monkeypatch):
    monkeypatch.setenv("CRM_WEBHOOKS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("CRM_WEBHOOKS_TIMEOUT_SECONDS", "0.3")
    receiver.delay = 1.0
    answer = outgoing.post(receiver.url, BODY, {})
    assert answer.status is None and answer.error == "timed out after 0.3 s"
    assert 250 <= answer.duration_ms < 1000


def test_an_error_status_keeps_the_start_of_the_body(receiver, monkeypatch):
    monkeypatch.setenv("CRM_WEBHOOKS_ALLOW_PRIVATE", "true")
    receiver.statuses = deque([503])
    answer = outgoing.post(receiver.url, BODY, {})
    assert (answer.status, answer.error, answer.snippet) == (503, "HTTP 503", "receiver says no")


def test_nothing_listening_is_a_connection_error(monkeypatch):
    monkeypatch.setenv("CRM_WEBHOOKS_ALLOW_PRIVATE", "true")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    answer = outgoing.post(f"http://127.0.0.1:{port}/", BODY, {})
    assert answer.status is None and answer.error.startswith("ConnectError")


@pytest.mark.parametrize(("url", "message"), [
    ("", "Enter the endpoint's URL."),
    ("ftp://hooks.example.com/", "must start with https://"),
    ("https://", "must start with https://"),
    ("https://user:pw@hooks.example.com/", "user name or password"),
    ("https://hooks.example.com/#x", "#fragment"),
    ("https://hooks.example.com:99999/", "not a valid URL"),
    ("http://127.0.0.1:8080/", "private, loopback"),
    ("http://localhost/", "private, loopback"),
    ("http://[::1]/", "private, loopback"),
    ("http://169.254.169.254/", "private, loopback"),
    ("https://" + "a" * 2050 + ".example/", "longer than 2048"),
])  # fmt: skip
def test_registration_refuses_bad_urls(private_refused, url, message):
    with pytest.raises(webhooks.WebhookError, match=message.replace("+", r"\+").replace("#", "#")):
        webhooks.validate_url(url)


def test_registration_takes_public_urls_and_private_ones_with_the_flag(monkeypatch, private_refused):
    assert webhooks.validate_url("  https://hooks.example.com/in?x=1  ") == "https://hooks.example.com/in?x=1"
    monkeypatch.setenv("CRM_WEBHOOKS_ALLOW_PRIVATE", "true")
    assert webhooks.validate_url("http://127.0.0.1:8080/hooks") == "http://127.0.0.1:8080/hooks"


def test_events_must_be_known_and_at_least_one():
    assert webhooks.validate_events(["deal.won", " company.created", "deal.won"]) == ["company.created", "deal.won"]
    with pytest.raises(webhooks.WebhookError, match="Unknown event"):
        webhooks.validate_events(["deal.signed"])
    with pytest.raises(webhooks.WebhookError, match="at least one"):
        webhooks.validate_events(["", " "])

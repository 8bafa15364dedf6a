"""Delivering the outbox: the worker's dispatch loop, signing, and the retry schedule.

A dispatch takes the due pending deliveries one at a time (``for update skip locked``: several dispatch jobs
share the work, none sends a delivery another holds), signs the event's JSON body per the Standard Webhooks
spec with the endpoint's secret, POSTs it (:mod:`.outgoing`), and in the same transaction records the attempt
and the delivery's new state: succeeded on a 2xx; otherwise pending again after a backoff that doubles
(``CRM_WEBHOOKS_BACKOFF_SECONDS``, default 60 s, at most 6 h between attempts) until the next attempt would
fall more than ``CRM_WEBHOOKS_GIVE_UP_SECONDS`` (default a day) after the delivery became pending: then
failed. Recording a retry time enqueues the dispatch job for then (the deliveries' wake-up trigger).

A worker killed mid-request leaves the delivery pending (its transaction dies with it) and the receiver may
or may not have had it: the next dispatch sends it again with the same ``webhook-id`` (at least once; the
receiver de-duplicates on that id).
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
import secrets
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
from standardwebhooks import Webhook

from dashboard import credentials
from dashboard.webhooks import outgoing

log = logging.getLogger("dashboard.webhooks")
PURPOSE = "webhook"  # the credentials purpose the endpoints' secrets are sealed for
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
MAX_BACKOFF_SECONDS = 6 * 3600


def new_secret() -> str:
    """A new signing secret as Standard Webhooks writes it: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def message_id(event_id: uuid.UUID | str) -> str:
    """The ``webhook-id`` of an event: the same for every attempt and every endpoint."""
    return "msg_" + uuid.UUID(str(event_id)).hex


def signed_headers(secret: str, msg_id: str, body: bytes, at: dt.datetime) -> dict[str, str]:
    """The Standard Webhooks headers of ``body`` sent at ``at``."""
    timestamp = int(at.timestamp())
    signature = Webhook(secret).sign(msg_id, dt.datetime.fromtimestamp(timestamp, dt.UTC), body)
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive")
    return value


def retry_delay(failed_attempts: int) -> float:
    """Seconds to wait after the ``failed_attempts``-th failed attempt: the base (``CRM_WEBHOOKS_BACKOFF_SECONDS``,
    default 60) doubled for each earlier failure, at most 6 hours. With the defaults: 1, 2, 4 ... 256 minutes, then
    6 hours; a day allows 12 attempts."""
    base = _seconds("CRM_WEBHOOKS_BACKOFF_SECONDS", 60)
    return min(base * 2 ** (failed_attempts - 1), max(MAX_BACKOFF_SECONDS, base))


def give_up_seconds() -> float:
    """How long a delivery is retried (``CRM_WEBHOOKS_GIVE_UP_SECONDS``, default 86400: a day)."""
    return _seconds("CRM_WEBHOOKS_GIVE_UP_SECONDS", 86400)


@dataclass
class Counts:
    succeeded: int = 0
    retried: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)

    def total(self) -> int:
        return self.succeeded + self.retried + self.failed

    def as_dict(self) -> dict:
        return {"succeeded": self.succeeded, "retried": self.retried, "failed": self.failed}


CLAIM = """
    select d.id, d.attempts, d.pending_since, e.id, e.payload::text, p.url, p.secret
    from crm.webhook_deliveries d
    join crm.webhook_endpoints p on p.id = d.endpoint_id
    join crm.webhook_events e on e.id = d.event_id
    where d.status = 'pending' and d.next_attempt_at <= now() and p.active
    order by d.next_attempt_at
    limit 1
    for update of d skip locked"""


def threads() -> int:
    """How many deliveries one dispatch sends at once (``CRM_WEBHOOKS_THREADS``, default 4), each thread on its
    own connection: a burst of events from one transaction is not sent one by one."""
    try:
        return min(max(int(os.environ.get("CRM_WEBHOOKS_THREADS") or 4), 1), 32)
    except ValueError:
        raise ValueError("CRM_WEBHOOKS_THREADS must be a whole number") from None


def dispatch(connect: Callable[[], psycopg.Connection], max_deliveries: int | None = None) -> dict:
    """Send every due delivery (or about ``max_deliveries``) with connections from ``connect`` (the operator's
    role), in ``threads()`` threads that share the work; one transaction per delivery. Returns the counts."""
    counts = Counts()
    with ThreadPoolExecutor(threads(), thread_name_prefix="webhooks") as pool:
        for future in [pool.submit(_dispatch_loop, connect, counts, max_deliveries) for _ in range(threads())]:
            future.result()
    return counts.as_dict()


def _dispatch_loop(connect, counts: Counts, max_deliveries: int | None) -> None:
    with connect() as conn:
        conn.autocommit = True
        # an attempt recorded is not waited onto disk: a crash just after loses at most that record, and the
        # delivery, still pending, is sent again with the same webhook-id (at least once, as always)
        conn.execute("set synchronous_commit = off")
        while max_deliveries is None or counts.total() < max_deliveries:
            with conn.transaction():
                row = conn.execute(CLAIM).fetchone()
                if row is None:
                    return
                _attempt(conn, row, counts)


def _attempt(conn: psycopg.Connection, row, counts: Counts) -> None:
    delivery_id, attempts, pending_since, event_id, payload, url, sealed = row
    started = dt.datetime.now(dt.UTC)
    body = payload.encode()
    try:
        secret = credentials.decrypt_secret(sealed, purpose=PURPOSE)
    except credentials.CredentialError as error:
        answer = outgoing.Answer(None, 0, f"cannot sign: {error}", None)
    else:
        answer = outgoing.post(url, body, signed_headers(secret, message_id(event_id), body, started))
    conn.execute(
        """insert into crm.webhook_attempts
             (delivery_id, attempted_at, http_status, duration_ms, error, response_snippet)
           values (%s, %s, %s, %s, %s, %s)""",
        (delivery_id, started, answer.status, answer.duration_ms, answer.error and answer.error[:1000], answer.snippet),
    )
    attempts += 1
    if answer.ok:
        status, next_at = "succeeded", None
        counts.add("succeeded")
    else:
        next_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=retry_delay(attempts))
        gave_up = next_at > pending_since + dt.timedelta(seconds=give_up_seconds())
        status = "failed" if gave_up else "pending"
        counts.add("failed" if gave_up else "retried")
        log.info("webhook delivery %s attempt %s: %s", delivery_id, attempts, answer.error)
    conn.execute(
        """update crm.webhook_deliveries
              set status = %s, attempts = %s, last_attempt_at = %s, next_attempt_at = coalesce(%s, next_attempt_at)
            where id = %s""",
        (status, attempts, started, next_at if status == "pending" else None, delivery_id),
    )

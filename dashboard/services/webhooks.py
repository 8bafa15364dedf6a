"""Webhook endpoints: register (the secret is returned once and stored sealed), list with their recent
deliveries and attempts, deactivate, delete, replay a delivery, send a test event.

Called by the admin page (``/admin/webhooks``, through the app's session as an admin: row-level security
admits admins only) and by ``crm webhooks`` (the operator's connection). ``conn`` is a SQLAlchemy connection or
session; nothing here commits.
"""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import text

from dashboard import credentials, vocabulary
from dashboard.webhooks import delivery, outgoing

MAX_URL_LENGTH = 2048
MAX_DESCRIPTION_LENGTH = 500
RECENT_DELIVERIES = 20


class WebhookError(Exception):
    """A registration the rules refuse; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class NewEndpoint:
    id: uuid.UUID
    secret: str  # whsec_...: shown once, never readable again


def validate_url(url: str) -> str:
    """``url`` trimmed, when it is an http(s) URL webhooks may call; raises ``WebhookError`` otherwise. A host
    that is an IP literal or ``localhost`` must be public unless CRM_WEBHOOKS_ALLOW_PRIVATE is on; names are
    resolved and checked again at every delivery."""
    url = (url or "").strip()
    if not url:
        raise WebhookError("Enter the endpoint's URL.")
    if len(url) > MAX_URL_LENGTH:
        raise WebhookError(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebhookError("That is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise WebhookError("The URL must start with https:// or http:// and name a host.")
    if parts.username or parts.password:
        raise WebhookError("The URL must not contain a user name or password (the signature authenticates).")
    if parts.fragment:
        raise WebhookError("The URL must not contain a #fragment.")
    if port == 0:
        raise WebhookError("That is not a valid port.")
    if not outgoing.allow_private() and _is_private_host(parts.hostname):
        raise WebhookError("Webhooks may not call private, loopback, link-local or multicast addresses "
                           "(CRM_WEBHOOKS_ALLOW_PRIVATE=true allows them on a self-hosted network).")  # fmt: skip
    return url


def _is_private_host(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return outgoing.is_forbidden(host)


def validate_events(events) -> list[str]:
    """The subscribed event names, in the vocabulary's order; raises ``WebhookError`` for none or an unknown one."""
    chosen = {e.strip() for e in events if e and e.strip()}
    unknown = sorted(chosen - set(vocabulary.WEBHOOK_EVENTS))
    if unknown:
        raise WebhookError(f"Unknown event(s): {', '.join(unknown)}. Known: {', '.join(vocabulary.WEBHOOK_EVENTS)}.")
    if not chosen:
        raise WebhookError("Choose at least one event.")
    return [e for e in vocabulary.WEBHOOK_EVENTS if e in chosen]


def create_endpoint(conn, url: str, events, description: str = "", created_by: uuid.UUID | None = None) -> NewEndpoint:
    """Register an endpoint; returns its id and its new secret (the only time the secret is seen)."""
    url, events = validate_url(url), validate_events(events)
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise WebhookError(f"The description is longer than {MAX_DESCRIPTION_LENGTH} characters.")
    secret = delivery.new_secret()
    sealed = credentials.encrypt_secret(secret, purpose=delivery.PURPOSE)
    endpoint_id = conn.execute(
        text("""insert into crm.webhook_endpoints (url, events, description, secret, created_by)
                values (:url, :events, :description, :secret, :created_by) returning id"""),
        {"url": url, "events": events, "description": description, "secret": sealed, "created_by": created_by},
    ).scalar_one()
    return NewEndpoint(endpoint_id, secret)


def list_endpoints(conn) -> list:
    """Every endpoint (never its secret), newest first, with counts of its deliveries by status."""
    return conn.execute(text("""
        select p.id, p.url, p.events, p.description, p.active, p.created_at, u.full_name as created_by_name,
               count(d.id) filter (where d.status = 'pending') as pending,
               count(d.id) filter (where d.status = 'succeeded') as succeeded,
               count(d.id) filter (where d.status = 'failed') as failed
        from crm.webhook_endpoints p
        left join crm.users u on u.id = p.created_by
        left join crm.webhook_deliveries d on d.endpoint_id = p.id
        group by p.id, u.full_name
        order by p.created_at desc, p.id""")).all()


def get_endpoint(conn, endpoint_id: uuid.UUID):
    """One endpoint (never its secret), or None when there is none or it is hidden."""
    return conn.execute(text("""
        select p.id, p.url, p.events, p.description, p.active, p.created_at from crm.webhook_endpoints p
        where p.id = :id"""), {"id": endpoint_id}).first()  # fmt: skip


def recent_deliveries(conn, endpoint_id: uuid.UUID, limit: int = RECENT_DELIVERIES) -> list[dict]:
    """The endpoint's latest deliveries, newest first, each with its event, its ``webhook-id`` and its
    attempts in order (``attempt_list``)."""
    rows = conn.execute(text("""
        select d.id, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, d.created_at,
               e.id as event_id, e.type, e.record_id
        from crm.webhook_deliveries d join crm.webhook_events e on e.id = d.event_id
        where d.endpoint_id = :id
        order by d.created_at desc, d.id
        limit :limit"""), {"id": endpoint_id, "limit": limit}).mappings().all()  # fmt: skip
    attempts: dict = {}
    for attempt in conn.execute(text("""
            select delivery_id, attempted_at, http_status, duration_ms, error, response_snippet
            from crm.webhook_attempts where delivery_id = any(:ids) order by attempted_at, id"""),
            {"ids": [row["id"] for row in rows]}).mappings():  # fmt: skip
        attempts.setdefault(attempt["delivery_id"], []).append(attempt)
    return [dict(row, message_id=delivery.message_id(row["event_id"]), attempt_list=attempts.get(row["id"], []))
            for row in rows]  # fmt: skip


def set_active(conn, endpoint_id: uuid.UUID, active: bool) -> bool:
    """Activate or deactivate an endpoint (a deactivated one is sent nothing; its pending deliveries wait).
    False when there is no such endpoint."""
    return conn.execute(text("update crm.webhook_endpoints set active = :active where id = :id"),
                        {"active": active, "id": endpoint_id}).rowcount == 1  # fmt: skip


def delete_endpoint(conn, endpoint_id: uuid.UUID) -> bool:
    """Delete an endpoint with its deliveries and their attempts; False when there is none."""
    return conn.execute(text("delete from crm.webhook_endpoints where id = :id"), {"id": endpoint_id}).rowcount == 1


def replay(conn, delivery_id: uuid.UUID):
    """Send a delivery again (pending now, retried for a day from now, the same webhook-id); returns its
    endpoint's id, or None when there is no such delivery."""
    return conn.execute(text("""
        update crm.webhook_deliveries set status = 'pending', next_attempt_at = now(), pending_since = now()
        where id = :id returning endpoint_id"""), {"id": delivery_id}).scalar_one_or_none()  # fmt: skip


def send_test(conn, endpoint_id: uuid.UUID) -> uuid.UUID:
    """Queue a ``webhook.test`` event for one endpoint; returns the delivery's id."""
    event_id = conn.execute(text("""
        insert into crm.webhook_events (type, payload)
        values ('webhook.test', jsonb_build_object('type', 'webhook.test', 'timestamp', app.webhook_timestamp(now()),
                                                   'data', jsonb_build_object('endpoint_id', cast(:id as uuid),
                                                                              'message', 'A test event from the CRM.')))
        returning id"""), {"id": endpoint_id}).scalar_one()  # fmt: skip
    return conn.execute(text("""
        insert into crm.webhook_deliveries (event_id, endpoint_id) values (:event, :endpoint) returning id"""),
        {"event": event_id, "endpoint": endpoint_id}).scalar_one()  # fmt: skip

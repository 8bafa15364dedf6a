"""The numbers to watch, in Prometheus's text format at ``/metrics`` (``views/operations.py``) and on
``/admin/health``.

Kept per process by prometheus-client. Under gunicorn, ``crm serve`` gives every worker one directory,
``PROMETHEUS_MULTIPROC_DIR``, where each process writes its counters, histograms and gauges to memory-mapped
files; a scrape, answered by whichever worker, adds them up (``MultiProcessCollector``), and a dead worker's
gauges are dropped by the gunicorn hook ``dashboard/gunicorn_config.py``. Without that directory (tests, the
development server, one process) the figures are this process's own.

What the app counts as it serves (``record_request`` and ``count_unavailable``, called from
``request_log.py`` and ``views/errors.py``):

- ``crm_http_request_duration_seconds{endpoint,method}``: latency histogram per Flask endpoint (never the
  raw path: ids and query strings stay out of the labels; ``none`` for a URL no route matched);
- ``crm_http_responses_total{endpoint,status_class}``: responses by status class (``2xx`` ... ``5xx``);
- ``crm_db_unavailable_total{reason}``: 503s because of the database (``unreachable``,
  ``statement_timeout``, ``disk_full``, ``busy``: the pool or a lock);
- ``crm_record_not_found_total``: 404s on record URLs (``/<entity>/<uuid>...``) for a signed-in user, which
  row-level security hides or which do not exist (the app cannot tell them apart, by design);
- ``crm_rls_violations_total``: writes the database refused with ``insufficient_privilege`` (a row-level
  security ``WITH CHECK`` or a missing grant reached from the app);
- ``crm_db_pool_connections_in_use`` and ``crm_db_pool_connections_max``: the web app's connection pools,
  summed over live workers.

What a scrape reads from the database (``DatabaseCollector``, one call to ``app.operations_figures()``):
``crm_database_up``, the job queue per queue (``crm_job_queue_depth``, ``crm_job_queue_oldest_age_seconds``,
``crm_jobs_running``, ``crm_jobs_failed_24h``), the webhook deliveries (``crm_webhook_deliveries_failed_24h``,
``crm_webhook_attempts_failed_1h``, ``crm_webhook_deliveries_pending``, ``crm_webhook_oldest_pending_age_seconds``).
And the backups (``crm.backups``): ``crm_backup_last_success_age_seconds``, ``crm_backup_last_success_size_bytes``,
``crm_backups_failed_24h``.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import re

from flask import Flask, Request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event, text

log = logging.getLogger("dashboard.metrics")

disable_created_metrics()  # no *_created series: a counter's start time is noise on a dashboard

# this process's metrics (the default registry is not used: it would mix in process figures that are
# meaningless summed over workers)
REGISTRY = CollectorRegistry(auto_describe=True)

REQUEST_SECONDS = Histogram(
    "crm_http_request_duration_seconds",
    "Time to answer a request, per Flask endpoint and method (the view's time, before a streamed body).",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
RESPONSES = Counter(
    "crm_http_responses",
    "Responses per Flask endpoint and status class (2xx, 3xx, 4xx, 5xx).",
    ["endpoint", "status_class"],
    registry=REGISTRY,
)
DB_UNAVAILABLE = Counter(
    "crm_db_unavailable",
    "Requests answered 503 because of the database, by reason.",
    ["reason"],
    registry=REGISTRY,
)
RECORD_NOT_FOUND = Counter(
    "crm_record_not_found",
    "404s on record URLs for a signed-in user: rows row-level security hides, or that do not exist.",
    registry=REGISTRY,
)
RLS_VIOLATIONS = Counter(
    "crm_rls_violations",
    "Statements the database refused with insufficient_privilege (a row-level security check or a grant).",
    registry=REGISTRY,
)
POOL_IN_USE = Gauge(
    "crm_db_pool_connections_in_use",
    "Database connections the web app has checked out of its pools (summed over live workers).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
POOL_MAX = Gauge(
    "crm_db_pool_connections_max",
    "Connections the web app's pools may open (pool size plus overflow, summed over live workers).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)

RECORD_URL = re.compile(r"^/[a-z-]+/[0-9a-fA-F-]{36}(/|$)")


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def record_request(endpoint: str | None, method: str, status: int, seconds: float, path: str, signed_in: bool) -> None:
    """Count one answered request."""
    name = endpoint or "none"
    REQUEST_SECONDS.labels(name, method).observe(seconds)
    RESPONSES.labels(name, status_class(status)).inc()
    if status == 404 and signed_in and endpoint and RECORD_URL.match(path):
        RECORD_NOT_FOUND.inc()


def count_unavailable(reason: str) -> None:
    DB_UNAVAILABLE.labels(reason).inc()


def count_rls_violation() -> None:
    RLS_VIOLATIONS.inc()


def watch_pools(app: Flask) -> None:
    """Count the app's checked-out connections (pool events) and its pools' capacity."""
    from dashboard.db import db

    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        pool = engine.pool
        size = getattr(pool, "size", lambda: 0)()
        POOL_MAX.inc(size + max(getattr(pool, "_max_overflow", 0), 0))
        event.listen(engine, "checkout", lambda *_: POOL_IN_USE.inc())
        event.listen(engine, "checkin", lambda *_: POOL_IN_USE.dec())


FIGURES = "select figure, help, queue, value from app.operations_figures()"


class DatabaseCollector:
    """The figures a scrape reads from the database: one definer function, counts and ages only."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        from dashboard.db import db

        up = GaugeMetricFamily("crm_database_up", "1 when the database answered this scrape, else 0.")
        families: dict[str, GaugeMetricFamily] = {}
        try:
            with self.app.app_context():
                try:
                    rows = db.session.execute(text(FIGURES)).all()
                finally:
                    db.session.rollback()
        except Exception as error:  # noqa: BLE001 -- a scrape reports the database down, never fails
            log.warning("metrics: the database did not answer: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        for figure, help_text, queue, value in rows:
            if figure not in families:
                labels = ["queue"] if queue is not None else []
                families[figure] = GaugeMetricFamily(figure, help_text, labels=labels)
            families[figure].add_metric([queue] if queue is not None else [], value)
        yield from families.values()


def exposition(app: Flask) -> bytes:
    """The whole text exposition: every worker's figures (or this process's) and the database's."""
    registry = CollectorRegistry(auto_describe=False)
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        MultiProcessCollector(registry, path=directory)
    else:
        registry.register(_Local())
    registry.register(DatabaseCollector(app))
    return generate_latest(registry)


class _Local:
    def collect(self):
        return REGISTRY.collect()


FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def from_loopback(request: Request, trusted_proxies: int) -> bool:
    """Whether the client is on this machine, every hop included.

    Without trusted proxies the peer must be loopback and the request must carry no forwarding header: a
    reverse proxy on this machine forwards remote clients from 127.0.0.1, and says so in those headers.
    With ``CRM_TRUSTED_PROXIES`` the address the proxies vouch for (``request.remote_addr``, from ProxyFix)
    and the proxy that connected (the original peer) must both be loopback: a remote client cannot make
    itself local by sending ``X-Forwarded-For: 127.0.0.1`` (the nearest proxy appends its real address).
    """
    peer = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR", request.environ.get("REMOTE_ADDR"))
    if not _loopback(peer) or not _loopback(request.remote_addr):
        return False
    if trusted_proxies > 0:
        return True
    return not any(request.headers.get(name) for name in FORWARDING_HEADERS)


def access(request: Request, token: str, trusted_proxies: int) -> int:
    """200 when this request may read /metrics: ``Authorization: Bearer <CRM_METRICS_TOKEN>``, or no
    Authorization header from loopback. 403 for a wrong token (or any token when none is configured), 404 for
    anyone else (the URL does not exist for them)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, presented = header.partition(" ")
        good = token and scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode())
        return 200 if good else 403
    return 200 if from_loopback(request, trusted_proxies) else 404

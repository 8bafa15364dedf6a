"""The REST API's nightly cleanup: idempotency keys older than a day (a client repeats a POST within
minutes, not days) and rate windows that ended a day ago (a token's stale windows are otherwise deleted
only when it makes its next request)."""

from __future__ import annotations

from dashboard.jobs import queue
from dashboard.jobs.queue import MAINTENANCE, app
from dashboard.jobs.tasks import periodic

KEYS_KEPT_HOURS = 24


def clean() -> dict:
    with queue.connect() as conn:
        old_keys = "delete from crm.api_idempotency_keys where created_at < now() - make_interval(hours => %s)"
        keys = conn.execute(old_keys, (KEYS_KEPT_HOURS,)).rowcount
        old_windows = "delete from crm.api_rate_windows where window_start < now() - interval '1 day'"
        windows = conn.execute(old_windows).rowcount
    return {"idempotency_keys": keys, "rate_windows": windows}


@periodic("api_cleanup", "nightly")
@app.task(name="api_cleanup", queue=MAINTENANCE, queueing_lock="api_cleanup")
def api_cleanup(timestamp: int) -> dict:
    """Delete the REST API's idempotency keys and rate windows older than a day; returns the counts."""
    return clean()

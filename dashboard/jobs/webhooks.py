"""The webhook tasks: deliver the outbox (``webhook_dispatch``, enqueued by the deliveries' wake-up trigger in
the transaction that wrote them, so a worker hears of it by NOTIFY at commit), a sweep every minute (a delivery
whose job was lost, an endpoint activated again), and the nightly cleanup of old events.

Delivery runs with the worker's operator role: it reads only the outbox (whose payloads were built when the
event happened, as an admin sees the record) and an endpoint's secret, which crm_app cannot read.
"""

from __future__ import annotations

from dashboard.jobs import WEBHOOKS, queue
from dashboard.jobs.queue import MAINTENANCE, app
from dashboard.jobs.tasks import periodic

EVENTS_KEPT_DAYS = 30  # events (with their deliveries and attempts) older than this are deleted, once settled


def _dispatch() -> dict:
    from dashboard.webhooks import delivery

    return delivery.dispatch(queue.connect)


@app.task(name="webhook_dispatch", queue=WEBHOOKS)
def webhook_dispatch() -> dict:
    """Send every due webhook delivery; returns how many succeeded, will be retried, failed for good."""
    return _dispatch()


@periodic("webhook_sweep", "frequent")
@app.task(name="webhook_sweep", queue=WEBHOOKS, queueing_lock="webhook_sweep")
def webhook_sweep(timestamp: int) -> dict:
    """What ``webhook_dispatch`` does, every minute: nothing due stays unsent for long whatever happened to
    the job that should have sent it."""
    return _dispatch()


@periodic("webhook_cleanup", "nightly")
@app.task(name="webhook_cleanup", queue=MAINTENANCE, queueing_lock="webhook_cleanup")
def webhook_cleanup(timestamp: int) -> int:
    """Delete events older than EVENTS_KEPT_DAYS none of whose deliveries is still pending (their
    deliveries and attempts go with them); returns how many."""
    with queue.connect() as conn:
        return conn.execute(
            """delete from crm.webhook_events e
                where e.occurred_at < now() - make_interval(days => %s)
                  and not exists (select from crm.webhook_deliveries d
                                  where d.event_id = e.id and d.status = 'pending')""",
            (EVENTS_KEPT_DAYS,),
        ).rowcount

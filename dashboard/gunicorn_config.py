"""gunicorn settings that ``crm serve`` passes (``--config python:dashboard.gunicorn_config``).

The metrics of every worker live in ``PROMETHEUS_MULTIPROC_DIR`` (dashboard/metrics.py): when a worker exits
(stopped, restarted, or killed), its live gauges (connections in use) are dropped; its counters and
histograms stay, as Prometheus expects of counters."""

from __future__ import annotations

import os


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

"""A probe of a deployment with several workers: every run of a probe job, and every tick of the probe's
schedule, appends one line to a file, so one can count how often each ran (docs/scaling.md).

Off unless ``CRM_JOB_PROBE_DIR`` names a directory (the workers' environment): then ``probe`` jobs append
``job <number> <worker pid>`` and the probe's periodic task, every second, ``tick <timestamp> <worker pid>``
to ``probe.log`` there. Only the operator enqueues probes (row-level security admits imports alone from
the web app, sql/policies/jobs.sql).
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.jobs.queue import app

PROBE_QUEUE = "probe"
PROBE_CRON = "* * * * * *"  # every second


def probe_log() -> Path | None:
    directory = os.environ.get("CRM_JOB_PROBE_DIR")
    return Path(directory) / "probe.log" if directory else None


def _record(line: str) -> None:
    path = probe_log()
    if path is None:
        raise RuntimeError("CRM_JOB_PROBE_DIR is not set: probes are off")
    # one write of one short line in append mode: lines of concurrent workers never interleave
    with open(path, "a") as log:
        log.write(f"{line} {os.getpid()}\n")


@app.task(name="probe", queue=PROBE_QUEUE)
def probe(number: int) -> None:
    """Record that probe job ``number`` ran, and in which worker."""
    _record(f"job {number}")


def periodic_probe(timestamp: int) -> None:
    """Record that the tick at ``timestamp`` ran, and in which worker."""
    _record(f"tick {timestamp}")


if probe_log() is not None:
    app.periodic(cron=PROBE_CRON, periodic_id="probe")(
        app.task(name="periodic_probe", queue=PROBE_QUEUE)(periodic_probe)
    )

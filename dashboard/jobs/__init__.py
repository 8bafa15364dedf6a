"""Background jobs on PostgreSQL (Procrastinate): the queue, its tasks and the worker.

* :mod:`.queue` -- the Procrastinate app, the queue's schema and settings, enqueueing from the web app;
* :mod:`.tasks` -- the tasks (an import run) and the periodic ones (nightly rescoring, cleanups, stalled
  jobs, the monthly forecast snapshot), with their schedule in ``SCHEDULE``;
* :mod:`.worker` -- running a worker (``crm worker``, and the one ``crm serve`` starts).

The queue's tables live in schema ``crm_jobs`` (sql/migrations/20261207001700_job_queue.sql); a job's
arguments are ids, never secrets. See docs/architecture.md (Background work).
"""

# names the command line needs without importing Procrastinate (half a second): the queues, and how long a
# stopping worker waits for its running jobs
IMPORTS = "imports"  # import runs (the web pages' legacy and record imports)
MAINTENANCE = "maintenance"  # periodic work: rescoring, cleanups, stalled jobs, snapshots
WEBHOOKS = "webhooks"  # webhook deliveries (dashboard/jobs/webhooks.py)
SHUTDOWN_GRACE_SECONDS = 20

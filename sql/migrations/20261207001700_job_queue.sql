-- The job queue (issue 17): Procrastinate's tables, in their own schema crm_jobs, owned by crm_owner.
--
-- The tables, types, functions and triggers are Procrastinate's own: the directive line below makes the
-- migrator run the installed package's schema (procrastinate/sql/schema.sql, the version pinned in
-- pyproject.toml) with crm_jobs first on the search path, read from the package and never copied into
-- sql/ (dashboard/migrate.py, PACKAGE_SCHEMAS). sql/functions/jobs.sql pins each function's search path
-- and documents it. A Procrastinate upgrade that changes its schema needs a migration that runs the
-- package's own upgrade files the same way; tests/test_jobs_schema.py fails until it does.
--
-- Row-level security is enabled and forced like every table of the app: the workers connect with the
-- operator's admin role (superuser or BYPASSRLS, as `crm score` needs), crm_app only enqueues and reads
-- the import jobs of runs it can see (sql/policies/jobs.sql; SECURITY.md).

create schema crm_jobs;
comment on schema crm_jobs is 'The background job queue (Procrastinate): jobs, their events, workers and periodic ticks. See docs/architecture.md (Background work).';

-- install: procrastinate into crm_jobs

comment on table crm_jobs.procrastinate_workers is 'The job queue''s workers (Procrastinate): one row per running `crm worker`, with its heartbeat; a row whose heartbeat is older than CRM_WORKER_STALLED_SECONDS is a dead worker whose jobs are recovered. Written by the workers only (the operator''s role); crm_app has no privilege on it.';
comment on table crm_jobs.procrastinate_jobs is 'The job queue (Procrastinate): one row per job, its task name, queue, JSON arguments (ids only, never secrets), status (todo, doing, succeeded, failed...), attempts and the worker running it. Workers (the operator''s role) fetch and finish jobs; crm_app may only enqueue an import run it can see and read those jobs (sql/policies/jobs.sql).';
comment on table crm_jobs.procrastinate_periodic_defers is 'Which tick of each periodic task (nightly rescoring, cleanups, stalled-job recovery) was already enqueued: the unique (task, periodic id, timestamp) makes a tick enqueue once however many workers run. Workers only.';
comment on table crm_jobs.procrastinate_events is 'Each job''s history (Procrastinate): deferred, started, succeeded, failed, retried... with its time. Written by the queue''s triggers; crm_app adds only the deferred event of a job it enqueues.';

alter table crm_jobs.procrastinate_workers enable row level security;
alter table crm_jobs.procrastinate_workers force row level security;
alter table crm_jobs.procrastinate_jobs enable row level security;
alter table crm_jobs.procrastinate_jobs force row level security;
alter table crm_jobs.procrastinate_periodic_defers enable row level security;
alter table crm_jobs.procrastinate_periodic_defers force row level security;
alter table crm_jobs.procrastinate_events enable row level security;
alter table crm_jobs.procrastinate_events force row level security;

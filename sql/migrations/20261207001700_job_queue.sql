-- The job queue (issue 17): Procrastinate's tables, in their own schema crm_jobs, owned by crm_owner.
--
-- This is the schema of the Procrastinate version pinned in pyproject.toml (procrastinate/sql/schema.sql
-- of the package), names qualified with crm_jobs; its functions are in sql/functions/jobs.sql, its
-- triggers in sql/triggers/jobs.sql. tests/test_jobs_schema.py builds the installed package's own schema
-- beside it and fails on any difference, so a Procrastinate upgrade that changes its schema needs a new
-- migration (from the package's sql/migrations) before it can land.
--
-- Row-level security is enabled and forced like every table of the app: the workers connect with the
-- operator's admin role (superuser or BYPASSRLS, as `crm score` needs), crm_app only enqueues and reads
-- the import jobs of runs it can see (sql/policies/jobs.sql; SECURITY.md).

create schema crm_jobs;
comment on schema crm_jobs is 'The background job queue (Procrastinate): jobs, their events, workers and periodic ticks. See docs/architecture.md (Background work).';

-- Enums
CREATE TYPE crm_jobs.procrastinate_job_status AS ENUM (
    'todo',  -- The job is queued
    'doing',  -- The job has been fetched by a worker
    'succeeded',  -- The job ended successfully
    'failed',  -- The job ended with an error
    'cancelled', -- The job was cancelled
    'aborting',  -- legacy, not used anymore since v3.0.0
    'aborted'  -- The job was aborted
);

CREATE TYPE crm_jobs.procrastinate_job_event_type AS ENUM (
    'deferred',  -- Job created, in todo
    'started',  -- todo -> doing
    'deferred_for_retry',  -- doing -> todo
    'failed',  -- doing -> failed
    'succeeded',  -- doing -> succeeded
    'cancelled', -- todo -> cancelled
    'abort_requested', -- not a state transition, but set in a separate field
    'aborted', -- doing -> aborted (only allowed when abort_requested field is set)
    'scheduled', -- not a state transition, but recording when a task is scheduled for
    'retried' -- Manually retried failed job
);

-- Composite Types

CREATE TYPE crm_jobs.procrastinate_job_to_defer_v1 AS (
    queue_name character varying,
    task_name character varying,
    priority integer,
    lock text,
    queueing_lock text,
    args jsonb,
    scheduled_at timestamp with time zone
);

-- Tables

CREATE TABLE crm_jobs.procrastinate_workers(
    id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    last_heartbeat timestamp with time zone NOT NULL DEFAULT NOW()
);

CREATE TABLE crm_jobs.procrastinate_jobs (
    id bigserial PRIMARY KEY,
    queue_name character varying(128) NOT NULL,
    task_name character varying(128) NOT NULL,
    priority integer DEFAULT 0 NOT NULL,
    lock text,
    queueing_lock text,
    args jsonb DEFAULT '{}' NOT NULL,
    status crm_jobs.procrastinate_job_status DEFAULT 'todo'::crm_jobs.procrastinate_job_status NOT NULL,
    scheduled_at timestamp with time zone NULL,
    attempts integer DEFAULT 0 NOT NULL,
    abort_requested boolean DEFAULT false NOT NULL,
    worker_id bigint REFERENCES crm_jobs.procrastinate_workers(id) ON DELETE SET NULL,
    CONSTRAINT check_not_todo_abort_requested CHECK (NOT (status = 'todo' AND abort_requested = true))
);

CREATE TABLE crm_jobs.procrastinate_periodic_defers (
    id bigserial PRIMARY KEY,
    task_name character varying(128) NOT NULL,
    defer_timestamp bigint,
    job_id bigint REFERENCES crm_jobs.procrastinate_jobs(id) NULL,
    periodic_id character varying(128) NOT NULL DEFAULT '',
    CONSTRAINT procrastinate_periodic_defers_unique UNIQUE (task_name, periodic_id, defer_timestamp)
);

CREATE TABLE crm_jobs.procrastinate_events (
    id bigserial PRIMARY KEY,
    job_id bigint NOT NULL REFERENCES crm_jobs.procrastinate_jobs ON DELETE CASCADE,
    type crm_jobs.procrastinate_job_event_type,
    at timestamp with time zone DEFAULT NOW() NULL
);

-- Constraints & Indices

-- this prevents from having several jobs with the same queueing lock in the "todo" state
CREATE UNIQUE INDEX procrastinate_jobs_queueing_lock_idx_v1 ON crm_jobs.procrastinate_jobs (queueing_lock) WHERE status = 'todo';
-- this prevents from having several jobs with the same lock in the "doing" state
CREATE UNIQUE INDEX procrastinate_jobs_lock_idx_v1 ON crm_jobs.procrastinate_jobs (lock) WHERE status = 'doing';

-- Index for select_stalled_jobs_by_heartbeat query
CREATE INDEX idx_procrastinate_jobs_worker_not_null ON crm_jobs.procrastinate_jobs(worker_id) WHERE worker_id IS NOT NULL AND status = 'doing'::crm_jobs.procrastinate_job_status;

CREATE INDEX procrastinate_jobs_queue_name_idx_v1 ON crm_jobs.procrastinate_jobs(queue_name);
CREATE INDEX procrastinate_jobs_id_lock_idx_v1 ON crm_jobs.procrastinate_jobs (id, lock) WHERE status = ANY (ARRAY['todo'::crm_jobs.procrastinate_job_status, 'doing'::crm_jobs.procrastinate_job_status]);
CREATE INDEX procrastinate_jobs_priority_idx_v1 ON crm_jobs.procrastinate_jobs(priority desc, id asc) WHERE (status = 'todo'::crm_jobs.procrastinate_job_status);

CREATE INDEX procrastinate_events_job_id_fkey_v1 ON crm_jobs.procrastinate_events(job_id);

CREATE INDEX procrastinate_periodic_defers_job_id_fkey_v1 ON crm_jobs.procrastinate_periodic_defers(job_id);

CREATE INDEX idx_procrastinate_workers_last_heartbeat ON crm_jobs.procrastinate_workers(last_heartbeat);

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

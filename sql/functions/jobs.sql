-- The job queue's functions are Procrastinate's own, created from the installed package by the migration
-- 20261207001700_job_queue.sql (never copied here). Their bodies name the queue's tables unqualified, as
-- the library writes them, so each is pinned here to search_path pg_catalog, crm_jobs: it then finds the
-- queue whatever the caller's search path. tests/test_jobs_schema.py compares every body with the installed
-- package's. Execution is revoked from PUBLIC in sql/grants/jobs.sql; crm_app may execute only the
-- enqueueing one.

do $$
declare
  f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_catalog.pg_proc p
           where p.pronamespace = 'crm_jobs'::regnamespace
  loop
    execute pg_catalog.format('alter function %s set search_path = pg_catalog, crm_jobs', f);
  end loop;
end
$$;

comment on function crm_jobs.procrastinate_defer_jobs_v1(crm_jobs.procrastinate_job_to_defer_v1[]) is 'Enqueue jobs (todo); returns their ids. The one queue function crm_app may execute (an import run it can see, under sql/policies/jobs.sql).';
comment on function crm_jobs.procrastinate_defer_periodic_job_v2(character varying, character varying, character varying, character varying, integer, character varying, bigint, jsonb) is 'Enqueue one tick of a periodic task once, whichever worker asks first (unique task, periodic id, timestamp); returns the job id or null.';
comment on function crm_jobs.procrastinate_fetch_job_v2(character varying[], bigint) is 'A worker takes the next todo job of its queues (priority, then age; skipping locked rows) and marks it doing.';
comment on function crm_jobs.procrastinate_finish_job_v1(bigint, crm_jobs.procrastinate_job_status, boolean) is 'A worker ends a job: succeeded, failed or aborted (or deletes it).';
comment on function crm_jobs.procrastinate_cancel_job_v1(bigint, boolean, boolean) is 'Cancel a todo job, or ask a running one to abort.';
comment on function crm_jobs.procrastinate_retry_job_v1(bigint, timestamp with time zone, integer, character varying, character varying) is 'Put a doing job back to todo for another attempt (older signature kept by Procrastinate).';
comment on function crm_jobs.procrastinate_retry_job_v2(bigint, timestamp with time zone, integer, character varying, character varying) is 'Put a doing or failed job back to todo for another attempt (stalled-job recovery, retries).';
comment on function crm_jobs.procrastinate_notify_queue_job_inserted_v1() is 'Trigger: NOTIFY the workers listening on the job''s queue that a job arrived.';
comment on function crm_jobs.procrastinate_notify_queue_abort_job_v1() is 'Trigger: NOTIFY the workers that a running job was asked to abort.';
comment on function crm_jobs.procrastinate_trigger_function_status_events_insert_v1() is 'Trigger: record the deferred event of a new job.';
comment on function crm_jobs.procrastinate_trigger_function_status_events_update_v1() is 'Trigger: record a job''s status change as an event (started, succeeded, failed, retried...).';
comment on function crm_jobs.procrastinate_trigger_function_scheduled_events_v1() is 'Trigger: record when a job is scheduled for.';
comment on function crm_jobs.procrastinate_trigger_abort_requested_events_procedure_v1() is 'Trigger: record an abort request.';
comment on function crm_jobs.procrastinate_unlink_periodic_defers_v1() is 'Trigger: a deleted job is unlinked from the periodic tick that enqueued it.';
comment on function crm_jobs.procrastinate_register_worker_v1() is 'A starting worker registers itself; returns its id.';
comment on function crm_jobs.procrastinate_unregister_worker_v1(bigint) is 'A stopping worker removes its row.';
comment on function crm_jobs.procrastinate_update_heartbeat_v1(bigint) is 'A worker''s heartbeat.';
comment on function crm_jobs.procrastinate_prune_stalled_workers_v1(float) is 'Remove workers whose heartbeat is older than the given seconds (their doing jobs then count as stalled).';

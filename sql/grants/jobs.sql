-- The job queue: crm_app enqueues import runs (sql/policies/jobs.sql) and reads those jobs; the workers
-- use the operator's admin role. No queue function is executable by PUBLIC; crm_app may run the one that
-- enqueues (its triggers record the deferred event and NOTIFY the workers).
grant usage on schema crm_jobs to crm_app;
grant select, insert on table crm_jobs.procrastinate_jobs to crm_app;
grant insert on table crm_jobs.procrastinate_events to crm_app;
grant usage on sequence crm_jobs.procrastinate_jobs_id_seq, crm_jobs.procrastinate_events_id_seq to crm_app;
revoke execute on all functions in schema crm_jobs from public;
grant execute on function crm_jobs.procrastinate_defer_jobs_v1(crm_jobs.procrastinate_job_to_defer_v1[]) to crm_app;

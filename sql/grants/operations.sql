-- Operations figures (sql/functions/operations.sql): the definer helper reads the job queue's tables and the
-- webhook deliveries' and the backups' statuses, times and sizes to count them; crm_app itself sees only the import jobs of runs it
-- can see (sql/policies/jobs.sql) and no webhook delivery unless it is an admin.
grant usage on schema crm_jobs to crm_helper;
grant select on table crm_jobs.procrastinate_jobs, crm_jobs.procrastinate_events to crm_helper;
grant select (status, last_attempt_at, pending_since) on table crm.webhook_deliveries to crm_helper;
grant select (attempted_at, http_status) on table crm.webhook_attempts to crm_helper;
grant select (status, finished_at, size_bytes) on table crm.backups to crm_helper;

-- Operations figures (sql/functions/operations.sql): the definer helper reads the job queue's tables to
-- count jobs; crm_app itself sees only the import jobs of runs it can see (sql/policies/jobs.sql).
grant usage on schema crm_jobs to crm_helper;
grant select on table crm_jobs.procrastinate_jobs, crm_jobs.procrastinate_events to crm_helper;

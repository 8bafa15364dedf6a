-- Webhooks: admins manage endpoints through crm_app (row-level security admits admins only). crm_app may write
-- an endpoint's secret but never read it (no SELECT on the column): the worker (the operator's role) alone
-- reads it to sign. The capture and wake-up triggers (crm_helper) see which endpoints want an event, write
-- the outbox and enqueue the dispatch job.
grant select (id, url, events, description, active, created_by, created_at),
      insert (url, events, description, secret, created_by),
      update (active, description, events),
      delete
  on table crm.webhook_endpoints to crm_app;
grant select, insert on table crm.webhook_events to crm_app;
grant select, insert, update (status, next_attempt_at, pending_since) on table crm.webhook_deliveries to crm_app;
grant select on table crm.webhook_attempts to crm_app;

grant select (id, events, active) on table crm.webhook_endpoints to crm_helper;
grant select (id), insert on table crm.webhook_events to crm_helper;
grant insert on table crm.webhook_deliveries to crm_helper;
grant execute on function app.webhook_capture() to crm_helper;
grant execute on function app.webhook_wake() to crm_helper;
grant usage on schema crm_jobs to crm_helper;
grant select (id), insert on table crm_jobs.procrastinate_jobs to crm_helper;
grant insert on table crm_jobs.procrastinate_events to crm_helper;
grant usage on sequence crm_jobs.procrastinate_jobs_id_seq, crm_jobs.procrastinate_events_id_seq to crm_helper;
grant execute on function crm_jobs.procrastinate_defer_jobs_v1(crm_jobs.procrastinate_job_to_defer_v1[]) to crm_helper;

-- Row-level security of the job queue (crm_jobs, Procrastinate's tables).
--
-- The workers connect with the operator's admin role (superuser or BYPASSRLS, as `crm score` needs), so
-- these policies are about crm_app alone: the web app enqueues the import of a run it can see (the
-- runs' own policies decide which: an admin's legacy runs, a user's own record imports) and reads
-- those jobs back (is the run still waiting for a worker?). It never fetches, finishes, retries or
-- deletes a job, and never sees the workers or the periodic ticks. A job's arguments are ids only.

drop policy if exists "procrastinate_jobs: enqueue the import of a visible queued run" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: enqueue the import of a visible queued run" on crm_jobs.procrastinate_jobs
  for insert to crm_app
  with check (queue_name = 'imports' and task_name = 'import_run' and status = 'todo' and attempts = 0
              and worker_id is null and not abort_requested
              and exists (select from crm.legacy_import_runs r
                          where r.id = case when task_name = 'import_run' then (args ->> 'run_id')::uuid end
                            and r.status = 'queued'));

drop policy if exists "procrastinate_jobs: read the import jobs of visible runs" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: read the import jobs of visible runs" on crm_jobs.procrastinate_jobs
  for select to crm_app
  using (task_name = 'import_run'
         and exists (select from crm.legacy_import_runs r
                     where r.id = case when task_name = 'import_run' then (args ->> 'run_id')::uuid end));

drop policy if exists "procrastinate_events: the deferred event of a job one enqueues" on crm_jobs.procrastinate_events;
create policy "procrastinate_events: the deferred event of a job one enqueues" on crm_jobs.procrastinate_events
  for insert to crm_app
  with check (type = 'deferred' and exists (select from crm_jobs.procrastinate_jobs j where j.id = job_id));

drop policy if exists "procrastinate_periodic_defers: never read by the app" on crm_jobs.procrastinate_periodic_defers;
create policy "procrastinate_periodic_defers: never read by the app" on crm_jobs.procrastinate_periodic_defers
  for select to crm_app using (false);

drop policy if exists "procrastinate_workers: never read by the app" on crm_jobs.procrastinate_workers;
create policy "procrastinate_workers: never read by the app" on crm_jobs.procrastinate_workers
  for select to crm_app using (false);

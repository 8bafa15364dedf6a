-- Row-level security of the backup records: admins read them. They are written by the operator's role
-- (crm db backup, the job worker), never through the app. An admin may enqueue one backup job (the
-- backups page's "Back up now"); the worker runs it as the operator.

drop policy if exists "backups: admins read" on crm.backups;
create policy "backups: admins read" on crm.backups for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "procrastinate_jobs: admins enqueue a backup" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: admins enqueue a backup" on crm_jobs.procrastinate_jobs
  for insert to crm_app
  with check (queue_name = 'maintenance' and task_name = 'backup' and status = 'todo' and attempts = 0
              and worker_id is null and not abort_requested and (select app.is_admin()));

drop policy if exists "procrastinate_jobs: admins read the backup jobs" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: admins read the backup jobs" on crm_jobs.procrastinate_jobs
  for select to crm_app
  using (task_name = 'backup' and (select app.is_admin()));

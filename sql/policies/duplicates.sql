-- Row-level security of the duplicate scan and merge tables: admins only. One policy per command.

drop policy if exists "duplicate_pairs: admins create" on crm.duplicate_pairs;
create policy "duplicate_pairs: admins create" on crm.duplicate_pairs for insert to crm_app
  with check ((select app.is_admin()));

drop policy if exists "duplicate_pairs: admins delete" on crm.duplicate_pairs;
create policy "duplicate_pairs: admins delete" on crm.duplicate_pairs for delete to crm_app
  using ((select app.is_admin()));

drop policy if exists "duplicate_pairs: admins read" on crm.duplicate_pairs;
create policy "duplicate_pairs: admins read" on crm.duplicate_pairs for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "duplicate_pairs: admins update" on crm.duplicate_pairs;
create policy "duplicate_pairs: admins update" on crm.duplicate_pairs for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()));

drop policy if exists "record_merges: admins create" on crm.record_merges;
create policy "record_merges: admins create" on crm.record_merges for insert to crm_app
  with check ((select app.is_admin()) and merged_by = (select app.active_user_id()));

drop policy if exists "record_merges: admins read" on crm.record_merges;
create policy "record_merges: admins read" on crm.record_merges for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "record_merges: admins update" on crm.record_merges;
create policy "record_merges: admins update" on crm.record_merges for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()));

-- The Scan button enqueues the duplicate scan for a worker (task duplicate_scan, which runs as the worker's
-- operator role); admins read those jobs back (is a scan waiting or running?). Nothing else of the queue.
drop policy if exists "procrastinate_jobs: admins enqueue the duplicate scan" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: admins enqueue the duplicate scan" on crm_jobs.procrastinate_jobs
  for insert to crm_app
  with check ((select app.is_admin()) and queue_name = 'maintenance' and task_name = 'duplicate_scan'
              and status = 'todo' and attempts = 0 and worker_id is null and not abort_requested);

drop policy if exists "procrastinate_jobs: admins read the duplicate scan jobs" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: admins read the duplicate scan jobs" on crm_jobs.procrastinate_jobs
  for select to crm_app
  using (task_name = 'duplicate_scan' and (select app.is_admin()));

-- Row-level security of the calendar: feed tokens.
--
-- A user reads their own feeds (when issued, last used, revoked; never the hash: sql/grants/calendar.sql);
-- nobody writes them through crm_app: app.issue_calendar_feed, app.revoke_calendar_feed and
-- app.open_calendar_feed (definer functions, crm_helper) do.

drop policy if exists "calendar_feeds: read own" on crm.calendar_feeds;
create policy "calendar_feeds: read own" on crm.calendar_feeds
  for select to crm_app using (user_id = (select app.active_user_id()));

-- CalDAV sync: a user's connection, their synced events and conflicts are theirs alone (admins included: a
-- connection holds a password). The job worker syncs as the user (a job session, crm_app), so these same
-- policies bound what a sync may touch. The password column is never selectable (sql/grants/calendar.sql).

drop policy if exists "calendar_connections: read own" on crm.calendar_connections;
create policy "calendar_connections: read own" on crm.calendar_connections
  for select to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "calendar_connections: create own" on crm.calendar_connections;
create policy "calendar_connections: create own" on crm.calendar_connections
  for insert to crm_app with check (user_id = (select app.active_user_id()));

drop policy if exists "calendar_connections: update own" on crm.calendar_connections;
create policy "calendar_connections: update own" on crm.calendar_connections
  for update to crm_app
  using (user_id = (select app.active_user_id())) with check (user_id = (select app.active_user_id()));

drop policy if exists "calendar_connections: delete own" on crm.calendar_connections;
create policy "calendar_connections: delete own" on crm.calendar_connections
  for delete to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "calendar_events: read own" on crm.calendar_events;
create policy "calendar_events: read own" on crm.calendar_events
  for select to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "calendar_events: create own" on crm.calendar_events;
create policy "calendar_events: create own" on crm.calendar_events
  for insert to crm_app with check (user_id = (select app.active_user_id()));

drop policy if exists "calendar_events: update own" on crm.calendar_events;
create policy "calendar_events: update own" on crm.calendar_events
  for update to crm_app
  using (user_id = (select app.active_user_id())) with check (user_id = (select app.active_user_id()));

drop policy if exists "calendar_events: delete own" on crm.calendar_events;
create policy "calendar_events: delete own" on crm.calendar_events
  for delete to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "calendar_conflicts: read own" on crm.calendar_conflicts;
create policy "calendar_conflicts: read own" on crm.calendar_conflicts
  for select to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "calendar_conflicts: create own" on crm.calendar_conflicts;
create policy "calendar_conflicts: create own" on crm.calendar_conflicts
  for insert to crm_app with check (user_id = (select app.active_user_id()));

drop policy if exists "calendar_conflicts: delete own" on crm.calendar_conflicts;
create policy "calendar_conflicts: delete own" on crm.calendar_conflicts
  for delete to crm_app using (user_id = (select app.active_user_id()));

-- the web app enqueues the sync of the user's own connection (on connect, "Sync now"), and reads those jobs
-- back (Procrastinate's deferred event checks its job exists); arguments are the connection's id only
drop policy if exists "procrastinate_jobs: enqueue the sync of one's own calendar" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: enqueue the sync of one's own calendar" on crm_jobs.procrastinate_jobs
  for insert to crm_app
  with check (queue_name = 'calendar' and task_name = 'calendar_sync' and status = 'todo' and attempts = 0
              and worker_id is null and not abort_requested
              and exists (select from crm.calendar_connections c
                          where c.id = case when task_name = 'calendar_sync'
                                            then (args ->> 'connection_id')::uuid end
                            and c.user_id = (select app.active_user_id())));

drop policy if exists "procrastinate_jobs: read the sync jobs of one's own calendar" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: read the sync jobs of one's own calendar" on crm_jobs.procrastinate_jobs
  for select to crm_app
  using (task_name = 'calendar_sync'
         and exists (select from crm.calendar_connections c
                     where c.id = case when task_name = 'calendar_sync' then (args ->> 'connection_id')::uuid end));

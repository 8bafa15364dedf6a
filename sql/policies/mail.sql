-- Row-level security of mailbox sync (sql/migrations/20261207001800_mail_sync.sql).
--
-- A mailbox connection, its suggestions and never-log list are their user's own (an admin may read and
-- remove a connection, never its password: no one in crm_app can select that column). The record of
-- synced messages follows the activities: the user, their manager and admins read it; only the user (the
-- sync acting as them) writes it. The web app may enqueue the sync of its own mailbox, nothing else.
-- Each helper call is wrapped in (select ...) so that it runs once per statement (an InitPlan).

drop policy if exists "mail_accounts: read own (admins all)" on crm.mail_accounts;
create policy "mail_accounts: read own (admins all)" on crm.mail_accounts
  for select to crm_app using ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "mail_accounts: create own" on crm.mail_accounts;
create policy "mail_accounts: create own" on crm.mail_accounts
  for insert to crm_app with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_accounts: update own" on crm.mail_accounts;
create policy "mail_accounts: update own" on crm.mail_accounts
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_accounts: delete own (admins all)" on crm.mail_accounts;
create policy "mail_accounts: delete own (admins all)" on crm.mail_accounts
  for delete to crm_app using ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "mail_messages: read own and team's" on crm.mail_messages;
create policy "mail_messages: read own and team's" on crm.mail_messages
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "mail_messages: create own" on crm.mail_messages;
create policy "mail_messages: create own" on crm.mail_messages
  for insert to crm_app with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_messages: update own" on crm.mail_messages;
create policy "mail_messages: update own" on crm.mail_messages
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_messages: delete own" on crm.mail_messages;
create policy "mail_messages: delete own" on crm.mail_messages
  for delete to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "mail_contact_suggestions: read own" on crm.mail_contact_suggestions;
create policy "mail_contact_suggestions: read own" on crm.mail_contact_suggestions
  for select to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "mail_contact_suggestions: create own" on crm.mail_contact_suggestions;
create policy "mail_contact_suggestions: create own" on crm.mail_contact_suggestions
  for insert to crm_app with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_contact_suggestions: update own" on crm.mail_contact_suggestions;
create policy "mail_contact_suggestions: update own" on crm.mail_contact_suggestions
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_contact_suggestions: delete own" on crm.mail_contact_suggestions;
create policy "mail_contact_suggestions: delete own" on crm.mail_contact_suggestions
  for delete to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "mail_never_log: read own" on crm.mail_never_log;
create policy "mail_never_log: read own" on crm.mail_never_log
  for select to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "mail_never_log: create own" on crm.mail_never_log;
create policy "mail_never_log: create own" on crm.mail_never_log
  for insert to crm_app with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_never_log: update own" on crm.mail_never_log;
create policy "mail_never_log: update own" on crm.mail_never_log
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id()));

drop policy if exists "mail_never_log: delete own" on crm.mail_never_log;
create policy "mail_never_log: delete own" on crm.mail_never_log
  for delete to crm_app using (user_id = (select app.active_user_id()));

drop policy if exists "procrastinate_jobs: enqueue the sync of one's own mailbox" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: enqueue the sync of one's own mailbox" on crm_jobs.procrastinate_jobs
  for insert to crm_app
  with check (queue_name = 'mail' and task_name = 'mail_sync' and status = 'todo' and attempts = 0
              and worker_id is null and not abort_requested
              and exists (select from crm.mail_accounts a
                          where a.id = case when task_name = 'mail_sync' then (args ->> 'account_id')::uuid end
                            and a.user_id = (select app.active_user_id())));

drop policy if exists "procrastinate_jobs: read the syncs of one's own mailbox" on crm_jobs.procrastinate_jobs;
create policy "procrastinate_jobs: read the syncs of one's own mailbox" on crm_jobs.procrastinate_jobs
  for select to crm_app
  using (task_name = 'mail_sync'
         and exists (select from crm.mail_accounts a
                     where a.id = case when task_name = 'mail_sync' then (args ->> 'account_id')::uuid end
                       and a.user_id = (select app.active_user_id())));

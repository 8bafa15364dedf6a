-- Row-level security of users, teams, targets and login attempts.
--
-- Policies admit admins first ((select app.is_admin())); reads compare the owner with
-- app.readable_user_ids(), writes with app.active_user_id(). Each helper call is wrapped
-- in (select ...) so that it runs once per statement (an InitPlan), not once per row.

drop policy if exists "login_attempts: admins read" on crm.login_attempts;
create policy "login_attempts: admins read" on crm.login_attempts
  for select to crm_app using ((select app.is_admin()));

drop policy if exists "sessions: never read by the app (definer functions only)" on crm.sessions;
create policy "sessions: never read by the app (definer functions only)" on crm.sessions
  for select to crm_app using (false);

drop policy if exists "targets: admins create" on crm.targets;
create policy "targets: admins create" on crm.targets
  for insert to crm_app with check ((select app.is_admin()));

drop policy if exists "targets: admins delete" on crm.targets;
create policy "targets: admins delete" on crm.targets
  for delete to crm_app using ((select app.is_admin()));

drop policy if exists "targets: admins update" on crm.targets;
create policy "targets: admins update" on crm.targets
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));

drop policy if exists "targets: read own and team's" on crm.targets;
create policy "targets: read own and team's" on crm.targets
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "teams: admins create" on crm.teams;
create policy "teams: admins create" on crm.teams
  for insert to crm_app with check ((select app.is_admin()));

drop policy if exists "teams: admins delete" on crm.teams;
create policy "teams: admins delete" on crm.teams
  for delete to crm_app using ((select app.is_admin()));

drop policy if exists "teams: admins update" on crm.teams;
create policy "teams: admins update" on crm.teams
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));

drop policy if exists "teams: read own team, managed team, all (admins)" on crm.teams;
create policy "teams: read own team, managed team, all (admins)" on crm.teams
  for select to crm_app
  using ((select app.is_admin()) or id = (select app.current_team_id())
         or manager_id = (select app.active_user_id()));

drop policy if exists "users: admins create" on crm.users;
create policy "users: admins create" on crm.users
  for insert to crm_app with check ((select app.is_admin()));

drop policy if exists "users: admins delete" on crm.users;
create policy "users: admins delete" on crm.users
  for delete to crm_app using ((select app.is_admin()));

drop policy if exists "users: read self, team (managers), all (admins)" on crm.users;
create policy "users: read self, team (managers), all (admins)" on crm.users
  for select to crm_app
  using ((select app.is_admin()) or id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "users: update self or (admins) anyone" on crm.users;
create policy "users: update self or (admins) anyone" on crm.users
  for update to crm_app
  using ((select app.is_admin()) or id = (select app.active_user_id()))
  with check ((select app.is_admin()) or id = (select app.active_user_id()));

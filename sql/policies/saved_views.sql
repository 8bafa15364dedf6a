-- Row-level security of saved views: a user reads their own views and the views shared with
-- their team, and writes only their own (sharing only with their own team).
--
-- Each helper call is wrapped in (select ...) so that it runs once per statement (an InitPlan).

drop policy if exists "saved_views: read own and shared with my team" on crm.saved_views;
create policy "saved_views: read own and shared with my team" on crm.saved_views
  for select to crm_app
  using (user_id = (select app.active_user_id())
         or (shared and team_id = (select app.current_team_id())));

drop policy if exists "saved_views: create own" on crm.saved_views;
create policy "saved_views: create own" on crm.saved_views
  for insert to crm_app
  with check (user_id = (select app.active_user_id())
              and (team_id is null or team_id = (select app.current_team_id())));

drop policy if exists "saved_views: update own" on crm.saved_views;
create policy "saved_views: update own" on crm.saved_views
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id())
              and (team_id is null or team_id = (select app.current_team_id())));

drop policy if exists "saved_views: delete own" on crm.saved_views;
create policy "saved_views: delete own" on crm.saved_views
  for delete to crm_app
  using (user_id = (select app.active_user_id()));

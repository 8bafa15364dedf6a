-- Row-level security of activities and their meeting links.
--
-- Policies admit admins first ((select app.is_admin())); reads compare the owner with
-- app.readable_user_ids(), writes with app.active_user_id(). Each helper call is wrapped
-- in (select ...) so that it runs once per statement (an InitPlan), not once per row.

drop policy if exists "activities: create own" on crm.activities;
create policy "activities: create own" on crm.activities
  for insert to crm_app with check ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "activities: delete own" on crm.activities;
create policy "activities: delete own" on crm.activities
  for delete to crm_app using ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "activities: read own and team's" on crm.activities;
create policy "activities: read own and team's" on crm.activities
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "activities: update own" on crm.activities;
create policy "activities: update own" on crm.activities
  for update to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "activity_meetings: create for own activities" on crm.activity_meetings;
create policy "activity_meetings: create for own activities" on crm.activity_meetings for insert to crm_app
  with check ((exists ( select 1
   from crm.activities p
  where ((p.id = activity_meetings.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))));

drop policy if exists "activity_meetings: delete for own activities" on crm.activity_meetings;
create policy "activity_meetings: delete for own activities" on crm.activity_meetings for delete to crm_app
  using ((exists ( select 1
   from crm.activities p
  where ((p.id = activity_meetings.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))));

drop policy if exists "activity_meetings: read with the activity" on crm.activity_meetings;
create policy "activity_meetings: read with the activity" on crm.activity_meetings
  for select to crm_app using (exists (select 1 from crm.activities a where a.id = activity_id));

drop policy if exists "activity_meetings: update for own activities" on crm.activity_meetings;
create policy "activity_meetings: update for own activities" on crm.activity_meetings for update to crm_app
  using ((exists ( select 1
   from crm.activities p
  where ((p.id = activity_meetings.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))))
  with check ((exists ( select 1
   from crm.activities p
  where ((p.id = activity_meetings.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))));

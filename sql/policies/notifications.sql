-- Row-level security of notifications: a user reads and marks read only their own notices, and reads and
-- writes only their own preferences and email settings. Nobody inserts or deletes notices through the app
-- (the worker's producer and the assignment trigger, crm_helper, do).
--
-- Each helper call is wrapped in (select ...) so that it runs once per statement (an InitPlan).

drop policy if exists "notifications: read own" on crm.notifications;
create policy "notifications: read own" on crm.notifications
  for select to crm_app
  using (user_id = (select app.active_user_id()));

drop policy if exists "notifications: mark own read" on crm.notifications;
create policy "notifications: mark own read" on crm.notifications
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id()));

drop policy if exists "notification_preferences: read own" on crm.notification_preferences;
create policy "notification_preferences: read own" on crm.notification_preferences
  for select to crm_app
  using (user_id = (select app.active_user_id()));

drop policy if exists "notification_preferences: create own" on crm.notification_preferences;
create policy "notification_preferences: create own" on crm.notification_preferences
  for insert to crm_app
  with check (user_id = (select app.active_user_id()));

drop policy if exists "notification_preferences: update own" on crm.notification_preferences;
create policy "notification_preferences: update own" on crm.notification_preferences
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id()));

drop policy if exists "notification_preferences: delete own" on crm.notification_preferences;
create policy "notification_preferences: delete own" on crm.notification_preferences
  for delete to crm_app
  using (user_id = (select app.active_user_id()));

drop policy if exists "notification_settings: read own" on crm.notification_settings;
create policy "notification_settings: read own" on crm.notification_settings
  for select to crm_app
  using (user_id = (select app.active_user_id()));

drop policy if exists "notification_settings: create own" on crm.notification_settings;
create policy "notification_settings: create own" on crm.notification_settings
  for insert to crm_app
  with check (user_id = (select app.active_user_id()));

drop policy if exists "notification_settings: update own" on crm.notification_settings;
create policy "notification_settings: update own" on crm.notification_settings
  for update to crm_app
  using (user_id = (select app.active_user_id()))
  with check (user_id = (select app.active_user_id()));

-- Row-level security of quotas and forecast snapshots: a user reads their own, a manager also those of
-- the people they manage (app.readable_user_ids()), an admin all. Quotas are set by admins, and by
-- managers for the people they manage (app.managed_user_ids(): never themself). Snapshots are history:
-- written by crm.take_forecast_snapshot as the owner (or an admin), never changed by the app.
--
-- Each helper call is wrapped in (select ...) so that it runs once per statement (an InitPlan).

drop policy if exists "quotas: read own and team's" on crm.quotas;
create policy "quotas: read own and team's" on crm.quotas
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "quotas: admins and the managers of the user create" on crm.quotas;
create policy "quotas: admins and the managers of the user create" on crm.quotas
  for insert to crm_app
  with check ((select app.is_admin()) or user_id = any ((select app.managed_user_ids())::uuid[]));

drop policy if exists "quotas: admins and the managers of the user update" on crm.quotas;
create policy "quotas: admins and the managers of the user update" on crm.quotas
  for update to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.managed_user_ids())::uuid[]))
  with check ((select app.is_admin()) or user_id = any ((select app.managed_user_ids())::uuid[]));

drop policy if exists "quotas: admins and the managers of the user delete" on crm.quotas;
create policy "quotas: admins and the managers of the user delete" on crm.quotas
  for delete to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.managed_user_ids())::uuid[]));

drop policy if exists "forecast_snapshots: read own and team's" on crm.forecast_snapshots;
create policy "forecast_snapshots: read own and team's" on crm.forecast_snapshots
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "forecast_snapshots: admins take them" on crm.forecast_snapshots;
create policy "forecast_snapshots: admins take them" on crm.forecast_snapshots
  for insert to crm_app with check ((select app.is_admin()));

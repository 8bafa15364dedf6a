-- Row-level security of the running totals: read-only for the app (triggers write them).

drop policy if exists "activity_daily_companies: read own and team's" on crm.activity_daily_companies;
create policy "activity_daily_companies: read own and team's" on crm.activity_daily_companies
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "activity_daily_totals: read own and team's" on crm.activity_daily_totals;
create policy "activity_daily_totals: read own and team's" on crm.activity_daily_totals
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "deal_totals: read own and team's" on crm.deal_totals;
create policy "deal_totals: read own and team's" on crm.deal_totals
  for select to crm_app
  using ((select app.is_admin()) or owner_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "task_totals: read own and team's" on crm.task_totals;
create policy "task_totals: read own and team's" on crm.task_totals
  for select to crm_app
  using ((select app.is_admin()) or assigned_to = any ((select app.readable_user_ids())::uuid[]));

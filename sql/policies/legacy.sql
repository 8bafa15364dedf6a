-- Row-level security of the legacy import tables: admins only. One policy per command
-- (not one FOR ALL policy): tests/test_rls_catalog.py holds every table to that rule.
--
-- Policies admit admins first ((select app.is_admin())); reads compare the owner with
-- app.readable_user_ids(), writes with app.active_user_id(). Each helper call is wrapped
-- in (select ...) so that it runs once per statement (an InitPlan), not once per row.

drop policy if exists "legacy_activities: admins create" on crm.legacy_activities;
create policy "legacy_activities: admins create" on crm.legacy_activities for insert to crm_app
  with check ((select app.is_admin()));

drop policy if exists "legacy_activities: admins delete" on crm.legacy_activities;
create policy "legacy_activities: admins delete" on crm.legacy_activities for delete to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_activities: admins read" on crm.legacy_activities;
create policy "legacy_activities: admins read" on crm.legacy_activities for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_activities: admins update" on crm.legacy_activities;
create policy "legacy_activities: admins update" on crm.legacy_activities for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()));

drop policy if exists "legacy_deals: admins create" on crm.legacy_deals;
create policy "legacy_deals: admins create" on crm.legacy_deals for insert to crm_app
  with check ((select app.is_admin()));

drop policy if exists "legacy_deals: admins delete" on crm.legacy_deals;
create policy "legacy_deals: admins delete" on crm.legacy_deals for delete to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_deals: admins read" on crm.legacy_deals;
create policy "legacy_deals: admins read" on crm.legacy_deals for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_deals: admins update" on crm.legacy_deals;
create policy "legacy_deals: admins update" on crm.legacy_deals for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()));

drop policy if exists "legacy_import_runs: admins create" on crm.legacy_import_runs;
create policy "legacy_import_runs: admins create" on crm.legacy_import_runs for insert to crm_app
  with check ((select app.is_admin()));

drop policy if exists "legacy_import_runs: admins delete" on crm.legacy_import_runs;
create policy "legacy_import_runs: admins delete" on crm.legacy_import_runs for delete to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_import_runs: admins read" on crm.legacy_import_runs;
create policy "legacy_import_runs: admins read" on crm.legacy_import_runs for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_import_runs: admins update" on crm.legacy_import_runs;
create policy "legacy_import_runs: admins update" on crm.legacy_import_runs for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()));

drop policy if exists "legacy_review_items: admins create" on crm.legacy_review_items;
create policy "legacy_review_items: admins create" on crm.legacy_review_items for insert to crm_app
  with check ((select app.is_admin()));

drop policy if exists "legacy_review_items: admins delete" on crm.legacy_review_items;
create policy "legacy_review_items: admins delete" on crm.legacy_review_items for delete to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_review_items: admins read" on crm.legacy_review_items;
create policy "legacy_review_items: admins read" on crm.legacy_review_items for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "legacy_review_items: admins update" on crm.legacy_review_items;
create policy "legacy_review_items: admins update" on crm.legacy_review_items for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()));

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

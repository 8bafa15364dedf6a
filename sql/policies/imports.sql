-- Row-level security of record imports (issue 15).
--
-- Saved column mappings belong to their user: each user reads and writes their own (admins all).
-- Record import runs live in crm.legacy_import_runs (its admin policies are in legacy.sql): a user also
-- creates, reads and updates their own runs that have an entity (a record import), never a legacy run.

drop policy if exists "import_mappings: own create" on crm.import_mappings;
create policy "import_mappings: own create" on crm.import_mappings for insert to crm_app
  with check ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "import_mappings: own delete" on crm.import_mappings;
create policy "import_mappings: own delete" on crm.import_mappings for delete to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "import_mappings: own read" on crm.import_mappings;
create policy "import_mappings: own read" on crm.import_mappings for select to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "import_mappings: own update" on crm.import_mappings;
create policy "import_mappings: own update" on crm.import_mappings for update to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "legacy_import_runs: own record imports create" on crm.legacy_import_runs;
create policy "legacy_import_runs: own record imports create" on crm.legacy_import_runs for insert to crm_app
  with check (entity is not null and started_by = (select app.active_user_id()));

drop policy if exists "legacy_import_runs: own record imports read" on crm.legacy_import_runs;
create policy "legacy_import_runs: own record imports read" on crm.legacy_import_runs for select to crm_app
  using (entity is not null and started_by = (select app.active_user_id()));

drop policy if exists "legacy_import_runs: own record imports update" on crm.legacy_import_runs;
create policy "legacy_import_runs: own record imports update" on crm.legacy_import_runs for update to crm_app
  using (entity is not null and started_by = (select app.active_user_id()))
  with check (entity is not null and started_by = (select app.active_user_id()));

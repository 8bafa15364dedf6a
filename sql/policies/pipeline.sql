-- Row-level security of the lost reasons: every user reads the list; admins change it and remove
-- a reason no deal has (the foreign key refuses the others), never "Not recorded", which the
-- database gives deals created lost (app.deals_sync_status_from_stage).

drop policy if exists "lost_reasons: every user reads the list" on crm.lost_reasons;
create policy "lost_reasons: every user reads the list" on crm.lost_reasons
  for select to crm_app using ((select app.active_user_id()) is not null);

drop policy if exists "lost_reasons: admins create" on crm.lost_reasons;
create policy "lost_reasons: admins create" on crm.lost_reasons
  for insert to crm_app with check ((select app.is_admin()));

drop policy if exists "lost_reasons: admins update" on crm.lost_reasons;
create policy "lost_reasons: admins update" on crm.lost_reasons
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));

drop policy if exists "lost_reasons: admins delete, never Not recorded" on crm.lost_reasons;
create policy "lost_reasons: admins delete, never Not recorded" on crm.lost_reasons
  for delete to crm_app
  using ((select app.is_admin()) and id <> '00000000-0000-4000-8000-000000000100'::uuid);

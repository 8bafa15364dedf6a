-- Row-level security of companies, contacts and their derived link tables.
--
-- Policies admit admins first ((select app.is_admin())); reads compare the owner with
-- app.readable_user_ids(), writes with app.active_user_id(). Each helper call is wrapped
-- in (select ...) so that it runs once per statement (an InitPlan), not once per row.

drop policy if exists "companies: create own" on crm.companies;
create policy "companies: create own" on crm.companies
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "companies: delete own" on crm.companies;
create policy "companies: delete own" on crm.companies
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "companies: read own, team's, and those of readable deals" on crm.companies;
create policy "companies: read own, team's, and those of readable deals" on crm.companies
  for select to crm_app
  using ((select app.is_admin())
         or owner_id = any ((select app.readable_user_ids())::uuid[])
         or exists (select 1 from crm.deals d
                    where d.company_id = companies.id
                      and d.owner_id = any ((select app.readable_user_ids())::uuid[])));

drop policy if exists "companies: update own" on crm.companies;
create policy "companies: update own" on crm.companies
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "company_activities: create for own activities" on crm.company_activities;
create policy "company_activities: create for own activities" on crm.company_activities for insert to crm_app
  with check ((exists ( select 1
   from crm.activities p
  where ((p.id = company_activities.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))));

drop policy if exists "company_activities: delete for own activities" on crm.company_activities;
create policy "company_activities: delete for own activities" on crm.company_activities for delete to crm_app
  using ((exists ( select 1
   from crm.activities p
  where ((p.id = company_activities.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))));

drop policy if exists "company_activities: read with the activity" on crm.company_activities;
create policy "company_activities: read with the activity" on crm.company_activities
  for select to crm_app using (exists (select 1 from crm.activities a where a.id = activity_id));

drop policy if exists "company_activities: update for own activities" on crm.company_activities;
create policy "company_activities: update for own activities" on crm.company_activities for update to crm_app
  using ((exists ( select 1
   from crm.activities p
  where ((p.id = company_activities.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))))
  with check ((exists ( select 1
   from crm.activities p
  where ((p.id = company_activities.activity_id) and ((select app.is_admin()) or (p.user_id = (select app.active_user_id())))))));

drop policy if exists "contact_interactions: create own" on crm.contact_interactions;
create policy "contact_interactions: create own" on crm.contact_interactions
  for insert to crm_app with check ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "contact_interactions: delete own" on crm.contact_interactions;
create policy "contact_interactions: delete own" on crm.contact_interactions
  for delete to crm_app using ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "contact_interactions: read own and team's" on crm.contact_interactions;
create policy "contact_interactions: read own and team's" on crm.contact_interactions
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "contact_interactions: update own" on crm.contact_interactions;
create policy "contact_interactions: update own" on crm.contact_interactions
  for update to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or user_id = (select app.active_user_id()));

drop policy if exists "contacts: create own" on crm.contacts;
create policy "contacts: create own" on crm.contacts
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "contacts: delete own" on crm.contacts;
create policy "contacts: delete own" on crm.contacts
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "contacts: read own, team's, and those on readable deals" on crm.contacts;
create policy "contacts: read own, team's, and those on readable deals" on crm.contacts
  for select to crm_app
  using ((select app.is_admin())
         or owner_id = any ((select app.readable_user_ids())::uuid[])
         or exists (select 1 from crm.deals d
                    where d.primary_contact_id = contacts.id
                      and d.owner_id = any ((select app.readable_user_ids())::uuid[]))
         or exists (select 1 from crm.deal_stakeholders s join crm.deals d on d.id = s.deal_id
                    where s.contact_id = contacts.id
                      and d.owner_id = any ((select app.readable_user_ids())::uuid[])));

drop policy if exists "contacts: update own" on crm.contacts;
create policy "contacts: update own" on crm.contacts
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));

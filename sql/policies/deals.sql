-- Row-level security of deals, their stages, meetings, stakeholders and stage history.
--
-- Policies admit admins first ((select app.is_admin())); reads compare the owner with
-- app.readable_user_ids(), writes with app.active_user_id(). Each helper call is wrapped
-- in (select ...) so that it runs once per statement (an InitPlan), not once per row.

drop policy if exists "deal_meetings: create for own deals" on crm.deal_meetings;
create policy "deal_meetings: create for own deals" on crm.deal_meetings for insert to crm_app
  with check ((exists ( select 1
   from crm.deals p
  where ((p.id = deal_meetings.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "deal_meetings: delete for own deals" on crm.deal_meetings;
create policy "deal_meetings: delete for own deals" on crm.deal_meetings for delete to crm_app
  using ((exists ( select 1
   from crm.deals p
  where ((p.id = deal_meetings.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "deal_meetings: read with the deal" on crm.deal_meetings;
create policy "deal_meetings: read with the deal" on crm.deal_meetings
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));

drop policy if exists "deal_meetings: update for own deals" on crm.deal_meetings;
create policy "deal_meetings: update for own deals" on crm.deal_meetings for update to crm_app
  using ((exists ( select 1
   from crm.deals p
  where ((p.id = deal_meetings.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))))
  with check ((exists ( select 1
   from crm.deals p
  where ((p.id = deal_meetings.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "deal_stage_history: read with the deal" on crm.deal_stage_history;
create policy "deal_stage_history: read with the deal" on crm.deal_stage_history
  for select to crm_app
  using (exists (select 1 from crm.deals d where d.id = deal_id));

drop policy if exists "deal_stage_history: written for own deals" on crm.deal_stage_history;
create policy "deal_stage_history: written for own deals" on crm.deal_stage_history
  for insert to crm_app
  with check (exists (select 1 from crm.deals d where d.id = deal_id
                      and ((select app.is_admin()) or d.owner_id = (select app.active_user_id()))));

drop policy if exists "deal_stages: admins create" on crm.deal_stages;
create policy "deal_stages: admins create" on crm.deal_stages
  for insert to crm_app with check ((select app.is_admin()));

drop policy if exists "deal_stages: admins delete" on crm.deal_stages;
create policy "deal_stages: admins delete" on crm.deal_stages
  for delete to crm_app using ((select app.is_admin()));

drop policy if exists "deal_stages: admins update" on crm.deal_stages;
create policy "deal_stages: admins update" on crm.deal_stages
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));

drop policy if exists "deal_stages: every user reads the pipeline" on crm.deal_stages;
create policy "deal_stages: every user reads the pipeline" on crm.deal_stages
  for select to crm_app using ((select app.active_user_id()) is not null);

drop policy if exists "deal_stakeholders: admins create" on crm.deal_stakeholders;
create policy "deal_stakeholders: admins create" on crm.deal_stakeholders
  for insert to crm_app with check ((select app.is_admin()));

drop policy if exists "deal_stakeholders: admins delete" on crm.deal_stakeholders;
create policy "deal_stakeholders: admins delete" on crm.deal_stakeholders
  for delete to crm_app using ((select app.is_admin()));

drop policy if exists "deal_stakeholders: admins update" on crm.deal_stakeholders;
create policy "deal_stakeholders: admins update" on crm.deal_stakeholders
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));

drop policy if exists "deal_stakeholders: read with the deal" on crm.deal_stakeholders;
create policy "deal_stakeholders: read with the deal" on crm.deal_stakeholders
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));

drop policy if exists "deals: create own" on crm.deals;
create policy "deals: create own" on crm.deals
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "deals: delete own" on crm.deals;
create policy "deals: delete own" on crm.deals
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "deals: read own and team's" on crm.deals;
create policy "deals: read own and team's" on crm.deals
  for select to crm_app
  using ((select app.is_admin()) or owner_id = any ((select app.readable_user_ids())::uuid[]));

-- a manager reaches the deals of the people they manage for one change only: handing them on
-- (the guard refuses any other edit, the check_owner_change trigger judges the new owner)
drop policy if exists "deals: update own" on crm.deals;
create policy "deals: update own" on crm.deals
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id())
         or owner_id = any ((select app.managed_user_ids())::uuid[]))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id())
              or owner_id = any ((select app.managed_user_ids())::uuid[]));

drop policy if exists "meeting_sequences: create for own deals" on crm.meeting_sequences;
create policy "meeting_sequences: create for own deals" on crm.meeting_sequences for insert to crm_app
  with check ((exists ( select 1
   from crm.deals p
  where ((p.id = meeting_sequences.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meeting_sequences: delete for own deals" on crm.meeting_sequences;
create policy "meeting_sequences: delete for own deals" on crm.meeting_sequences for delete to crm_app
  using ((exists ( select 1
   from crm.deals p
  where ((p.id = meeting_sequences.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meeting_sequences: read with the deal" on crm.meeting_sequences;
create policy "meeting_sequences: read with the deal" on crm.meeting_sequences
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));

drop policy if exists "meeting_sequences: update for own deals" on crm.meeting_sequences;
create policy "meeting_sequences: update for own deals" on crm.meeting_sequences for update to crm_app
  using ((exists ( select 1
   from crm.deals p
  where ((p.id = meeting_sequences.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))))
  with check ((exists ( select 1
   from crm.deals p
  where ((p.id = meeting_sequences.deal_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

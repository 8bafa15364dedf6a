-- Row-level security of meetings, their action items and attendees.
--
-- Policies admit admins first ((select app.is_admin())); reads compare the owner with
-- app.readable_user_ids(), writes with app.active_user_id(). Each helper call is wrapped
-- in (select ...) so that it runs once per statement (an InitPlan), not once per row.

drop policy if exists "meeting_action_items: create for own meetings" on crm.meeting_action_items;
create policy "meeting_action_items: create for own meetings" on crm.meeting_action_items for insert to crm_app
  with check ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_action_items.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meeting_action_items: delete for own meetings" on crm.meeting_action_items;
create policy "meeting_action_items: delete for own meetings" on crm.meeting_action_items for delete to crm_app
  using ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_action_items.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meeting_action_items: read with the meeting" on crm.meeting_action_items;
create policy "meeting_action_items: read with the meeting" on crm.meeting_action_items
  for select to crm_app using (exists (select 1 from crm.meetings m where m.id = meeting_id));

drop policy if exists "meeting_action_items: update for own meetings" on crm.meeting_action_items;
create policy "meeting_action_items: update for own meetings" on crm.meeting_action_items for update to crm_app
  using ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_action_items.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))))
  with check ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_action_items.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meeting_attendees: create for own meetings" on crm.meeting_attendees;
create policy "meeting_attendees: create for own meetings" on crm.meeting_attendees for insert to crm_app
  with check ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_attendees.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meeting_attendees: delete for own meetings" on crm.meeting_attendees;
create policy "meeting_attendees: delete for own meetings" on crm.meeting_attendees for delete to crm_app
  using ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_attendees.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meeting_attendees: read with the meeting" on crm.meeting_attendees;
create policy "meeting_attendees: read with the meeting" on crm.meeting_attendees
  for select to crm_app using (exists (select 1 from crm.meetings m where m.id = meeting_id));

drop policy if exists "meeting_attendees: update for own meetings" on crm.meeting_attendees;
create policy "meeting_attendees: update for own meetings" on crm.meeting_attendees for update to crm_app
  using ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_attendees.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))))
  with check ((exists ( select 1
   from crm.meetings p
  where ((p.id = meeting_attendees.meeting_id) and ((select app.is_admin()) or (p.owner_id = (select app.active_user_id())))))));

drop policy if exists "meetings: create own" on crm.meetings;
create policy "meetings: create own" on crm.meetings
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "meetings: delete own" on crm.meetings;
create policy "meetings: delete own" on crm.meetings
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

drop policy if exists "meetings: read own and team's" on crm.meetings;
create policy "meetings: read own and team's" on crm.meetings
  for select to crm_app
  using ((select app.is_admin()) or owner_id = any ((select app.readable_user_ids())::uuid[]));

drop policy if exists "meetings: update own" on crm.meetings;
create policy "meetings: update own" on crm.meetings
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));

-- Row-level security of the audit log: admins read it all; anyone else reads the changes they made
-- to records they can see now (a deleted record's rows, its notes included, are no longer readable).
-- The audited record is row_id in its table; the composite-key link tables name their parent in the
-- logged values (an update logs only the changed columns, so such a row stays hidden).

drop policy if exists "audit_log: admins read all, others what they did" on crm.audit_log;
drop policy if exists "audit_log: admins read all, others what they did to records they see" on crm.audit_log;
create policy "audit_log: admins read all, others what they did to records they see" on crm.audit_log
  for select to crm_app
  using ((select app.is_admin())
         or (actor_id = (select app.active_user_id())
             and case table_name
               when 'activities' then exists (select 1 from crm.activities x where x.id = row_id)
               when 'companies' then exists (select 1 from crm.companies x where x.id = row_id)
               when 'contact_interactions' then exists (select 1 from crm.contact_interactions x where x.id = row_id)
               when 'contacts' then exists (select 1 from crm.contacts x where x.id = row_id)
               when 'deal_stage_history' then exists (select 1 from crm.deal_stage_history x where x.id = row_id)
               when 'deal_stages' then exists (select 1 from crm.deal_stages x where x.id = row_id)
               when 'deal_stakeholders' then exists (select 1 from crm.deal_stakeholders x where x.id = row_id)
               when 'deals' then exists (select 1 from crm.deals x where x.id = row_id)
               when 'meeting_action_items' then exists (select 1 from crm.meeting_action_items x where x.id = row_id)
               when 'meeting_attendees' then exists (select 1 from crm.meeting_attendees x where x.id = row_id)
               when 'meeting_sequences' then exists (select 1 from crm.meeting_sequences x where x.id = row_id)
               when 'meetings' then exists (select 1 from crm.meetings x where x.id = row_id)
               when 'quotas' then exists (select 1 from crm.quotas x where x.id = row_id)
               when 'targets' then exists (select 1 from crm.targets x where x.id = row_id)
               when 'tasks' then exists (select 1 from crm.tasks x where x.id = row_id)
               when 'teams' then exists (select 1 from crm.teams x where x.id = row_id)
               when 'users' then exists (select 1 from crm.users x where x.id = row_id)
               when 'activity_meetings' then exists (select 1 from crm.activities x
                 where x.id = (coalesce(new_values, old_values) ->> 'activity_id')::uuid)
               when 'company_activities' then exists (select 1 from crm.activities x
                 where x.id = (coalesce(new_values, old_values) ->> 'activity_id')::uuid)
               when 'deal_meetings' then exists (select 1 from crm.deals x
                 where x.id = (coalesce(new_values, old_values) ->> 'deal_id')::uuid)
               else false
             end));

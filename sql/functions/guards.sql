-- The guard that keeps a user's writes on records they may write: foreign-key cascades
-- (ON DELETE CASCADE / SET NULL) and SECURITY DEFINER triggers bypass row-level security, so
-- without it deleting one's own contact silently removed stakeholder rows of other reps' deals.
-- The trigger (sql/triggers/guards.sql) sits on every table such a write reaches; see the table
-- "Cascades and triggers" in docs/security.md.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.row_is_writable(table_name text, r jsonb, me uuid) returns boolean
    language sql stable
    set search_path to ''
    as $$
  -- a row of a link table follows its parent record; a parent that is gone was deleted by this
  -- statement (under row-level security, or refused here first), so its links may go with it
  select coalesce(case table_name
    when 'activities' then (r ->> 'user_id')::uuid = me
    when 'contact_interactions' then (r ->> 'user_id')::uuid = me
    when 'contacts' then (r ->> 'owner_id')::uuid = me
    when 'deals' then (r ->> 'owner_id')::uuid = me
    when 'meetings' then (r ->> 'owner_id')::uuid = me
    when 'tasks' then me in ((r ->> 'assigned_to')::uuid, (r ->> 'created_by')::uuid)
    when 'deal_stakeholders' then not exists (select 1 from crm.deals d
      where d.id = (r ->> 'deal_id')::uuid and d.owner_id is distinct from me)
    when 'deal_meetings' then not exists (select 1 from crm.deals d
      where d.id = (r ->> 'deal_id')::uuid and d.owner_id is distinct from me)
    when 'meeting_sequences' then not exists (select 1 from crm.deals d
      where d.id = (r ->> 'deal_id')::uuid and d.owner_id is distinct from me)
    when 'activity_meetings' then not exists (select 1 from crm.activities a
      where a.id = (r ->> 'activity_id')::uuid and a.user_id is distinct from me)
    when 'company_activities' then not exists (select 1 from crm.activities a
      where a.id = (r ->> 'activity_id')::uuid and a.user_id is distinct from me)
    when 'meeting_attendees' then not exists (select 1 from crm.meetings m
      where m.id = (r ->> 'meeting_id')::uuid and m.owner_id is distinct from me)
    when 'meeting_action_items' then not exists (select 1 from crm.meetings m
      where m.id = (r ->> 'meeting_id')::uuid and m.owner_id is distinct from me)
  end, false)
$$;
comment on function app.row_is_writable(table_name text, r jsonb, me uuid) is 'Whether user me may write the row r of table_name: its owner column, or the owner of the parent record it follows (a parent deleted by this statement counts as writable).';
revoke all on function app.row_is_writable(table_name text, r jsonb, me uuid) from public;
grant execute on function app.row_is_writable(table_name text, r jsonb, me uuid) to crm_helper;

create or replace function app.guard_writes_on_others_records() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  derived text[] := app.computed_columns(tg_table_name) || array['updated_at', 'version', 'depth'];
  row_values jsonb := pg_catalog.to_jsonb(case when tg_op = 'INSERT' then new else old end);
begin
  if app.current_user_id() is null then
    return case when tg_op = 'DELETE' then old else new end;  -- the scoring job, the CLI as owner
  end if;
  if tg_op = 'UPDATE' and (pg_catalog.to_jsonb(new) - derived) = (row_values - derived) then
    return new;  -- scores, stamps, a subtask's depth: derived, not an edit
  end if;
  if app.row_is_writable(tg_table_name, row_values, app.active_user_id()) or app.is_admin() then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  if tg_table_name = 'deals' and tg_op = 'UPDATE'
     and (pg_catalog.to_jsonb(new) - derived - 'owner_id') = (row_values - derived - 'owner_id') then
    return new;  -- a change of owner only: the check_owner_change trigger applies app.may_reassign_owner
  end if;
  raise exception 'this change would % a row of % that belongs to a record you cannot edit',
      lower(tg_op), tg_table_name
    using errcode = 'insufficient_privilege', table = tg_table_name,
          constraint = 'writes_stay_on_writable_records',
          hint = 'Ask the owner of that record or an admin to remove the link first.';
end
$$;
alter function app.guard_writes_on_others_records() owner to crm_helper;
comment on function app.guard_writes_on_others_records() is 'BEFORE row trigger on the tables that cascades and definer triggers reach: an acting non-admin may change or remove a row only if they may write it or the record it follows (42501, constraint writes_stay_on_writable_records); derived columns, a deal''s change of owner alone (judged by check_owner_change) and connections without an acting user pass.';
revoke all on function app.guard_writes_on_others_records() from public;

revoke create on schema app from crm_helper;

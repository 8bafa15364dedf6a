-- Every insert, update and delete on a business table writes one audit row in
-- the same transaction, with the acting user. The app role gets no privilege
-- on the table; rows arrive only through the SECURITY DEFINER trigger.

create table crm.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  table_name text not null,
  row_id uuid,
  action text not null,
  changed_columns text[] not null default '{}',
  old_values jsonb,
  new_values jsonb,
  constraint check_audit_log_action check (action in ('insert', 'update', 'delete'))
);
comment on table crm.audit_log is 'Append-only change log written by app.audit_row_change(); actor_id is app.user_id at the time (no foreign key: users may be deleted).';
create index index_audit_log_on_table_name_and_row_id on crm.audit_log (table_name, row_id);
create index index_audit_log_on_actor_id on crm.audit_log (actor_id);
create index index_audit_log_on_occurred_at on crm.audit_log (occurred_at);

create or replace function app.audit_row_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
  changed text[];
  row_id uuid;
begin
  -- the row's id (null for the composite-key link tables, whose keys are in the values)
  row_id := (coalesce(new_row, old_row) ->> 'id')::uuid;
  if tg_op = 'UPDATE' then
    select coalesce(array_agg(n.key order by n.key), '{}') into changed
    from pg_catalog.jsonb_each(new_row) n
    where n.key not in ('updated_at', 'version')
      and n.value is distinct from old_row -> n.key;
    if changed = '{}' then
      return null;  -- a no-op update (or only bookkeeping columns) is not a change
    end if;
    old_row := (select pg_catalog.jsonb_object_agg(k, old_row -> k) from unnest(changed) k);
    new_row := (select pg_catalog.jsonb_object_agg(k, new_row -> k) from unnest(changed) k);
  end if;
  insert into crm.audit_log (actor_id, table_name, row_id, action, changed_columns, old_values, new_values)
  values (app.current_user_id(),
          tg_table_name,
          row_id,
          lower(tg_op),
          coalesce(changed, '{}'),
          old_row,
          new_row);
  return null;
end
$$;
comment on function app.audit_row_change() is 'AFTER ROW trigger on business tables: appends the change to crm.audit_log.';
revoke all on function app.audit_row_change() from public;

-- attach the audit trigger to every business table
do $$
declare
  t text;
begin
  foreach t in array array[
    'teams', 'users', 'targets', 'deal_stages', 'companies', 'contacts', 'deals',
    'deal_stage_history', 'activities', 'meetings', 'meeting_attendees',
    'meeting_action_items', 'tasks', 'company_activities', 'deal_meetings',
    'contact_interactions', 'deal_stakeholders', 'activity_meetings', 'meeting_sequences'
  ] loop
    execute format(
      'create trigger audit_row_change after insert or update or delete on crm.%I
         for each row execute function app.audit_row_change()', t);
  end loop;
end
$$;

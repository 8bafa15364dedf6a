-- The audit trail: the row trigger that appends every business-table change to crm.audit_log.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.audit_row_change() returns trigger
    language plpgsql security definer
    set search_path to ''
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
      and n.key <> all (app.computed_columns(tg_table_name))
      and n.value is distinct from old_row -> n.key;
    if changed = '{}' then
      return null;  -- a no-op update, bookkeeping or scores only: not a change
    end if;
    old_row := (select pg_catalog.jsonb_object_agg(k, old_row -> k) from unnest(changed) k);
    new_row := (select pg_catalog.jsonb_object_agg(k, new_row -> k) from unnest(changed) k);
  end if;
  -- a password change is recorded as a change of password_hash, never with its value
  old_row := old_row - 'password_hash';
  new_row := new_row - 'password_hash';
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
alter function app.audit_row_change() owner to crm_helper;
comment on function app.audit_row_change() is 'AFTER ROW trigger on business tables: appends the change to crm.audit_log (computed score columns are not changes).';
revoke all on function app.audit_row_change() from public;

create or replace function app.computed_columns(table_name text) returns text[]
    language sql immutable parallel safe
    set search_path to ''
    as $$
  select case table_name
    when 'companies' then array['engagement_score', 'lead_score', 'last_engagement_date']
    when 'contacts' then array['engagement_score', 'decision_maker_score', 'interaction_count',
                               'last_interaction_date']
    when 'deals' then array['deal_intelligence_score', 'win_probability_ai', 'risk_factors']
    when 'activities' then array['sentiment_score', 'engagement_quality', 'outcome_prediction', 'urgency_score']
    when 'meetings' then array['sentiment_score']
    when 'contact_interactions' then array['sentiment_score']
    else '{}'::text[]
  end
$$;
comment on function app.computed_columns(table_name text) is 'Columns of a crm table written only by scoring (crm score, rescore_after_write): not edits, never audited.';
revoke all on function app.computed_columns(table_name text) from public;
grant execute on function app.computed_columns(table_name text) to crm_app;
grant execute on function app.computed_columns(table_name text) to crm_helper;

create or replace function app.transaction_changes(after_id bigint) returns table (table_name text, action text, row_count bigint, last_id bigint)
    language sql stable security definer
    set search_path to ''
    as $$
  -- the net effect on each row this transaction changed after audit row after_id: a row inserted
  -- then deleted did not change, one deleted then inserted again with the same values neither
  with changes as (
    select a.id, a.table_name, a.action, a.old_values, a.new_values,
           coalesce(a.row_id::text, pg_catalog.concat_ws('/',
             coalesce(a.new_values, a.old_values) ->> 'company_id', coalesce(a.new_values, a.old_values) ->> 'deal_id',
             coalesce(a.new_values, a.old_values) ->> 'activity_id', coalesce(a.new_values, a.old_values) ->> 'meeting_id'))
             as row_key
    from crm.audit_log a
    where a.transaction_id = pg_catalog.pg_current_xact_id() and a.id > after_id
  ), per_row as (
    select c.table_name, max(c.id) as last_id,
           (array_agg(c.action order by c.id))[1] as first_action,
           (array_agg(c.action order by c.id desc))[1] as last_action,
           (array_agg(c.old_values order by c.id))[1] as first_old,
           (array_agg(c.new_values order by c.id desc))[1] as last_new
    from changes c
    group by c.table_name, c.row_key
  ), net as (
    select p.table_name, p.last_id,
           case when p.first_action = 'insert' and p.last_action = 'delete' then null
                when p.last_action = 'delete' then 'delete'
                when p.first_action = 'insert' then 'insert'
                when p.first_action = 'delete' and p.first_old = p.last_new then null
                else 'update' end as action
    from per_row p
  )
  select n.table_name, coalesce(n.action, 'none'), pg_catalog.count(*), max(n.last_id)
  from net n
  group by n.table_name, n.action
$$;
alter function app.transaction_changes(after_id bigint) owner to crm_helper;
comment on function app.transaction_changes(after_id bigint) is 'Per table and net action (insert, update, delete, none), how many rows the current transaction changed after audit row after_id, and its last audit row: counts only, for a delete tried in a savepoint (the delete confirmations).';
revoke all on function app.transaction_changes(after_id bigint) from public;
grant execute on function app.transaction_changes(after_id bigint) to crm_app;

revoke create on schema app from crm_helper;

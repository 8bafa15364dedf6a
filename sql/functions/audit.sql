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

revoke create on schema app from crm_helper;

-- Scores are not edits. Rescoring after a write (app.rescore_after_write and
-- the sentiment the app stores for the text a user just wrote) updates only
-- computed columns; until now each such update wrote an audit_log row in the
-- acting user's name, bumped updated_at (so "recently updated" lists showed
-- every company an activity touched), and an activity's new sentiment made the
-- relationship trigger delete and re-insert its company links (more audit
-- rows). The nightly `crm score` never did any of this (it runs with triggers
-- off), so the two paths now agree:
--   * app.computed_columns(table): the columns only scoring writes, in one place;
--   * audit_row_change: computed columns are never listed as changed; an update
--     of computed columns only writes no audit row;
--   * set_updated_at: an update of computed columns only keeps updated_at;
--   * activities_maintain_links: an update of the sentiment only copies it to
--     the activity's interaction and leaves the links alone.

create or replace function app.computed_columns(table_name text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
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
comment on function app.computed_columns(text) is
  'Columns of a crm table written only by scoring (crm score, rescore_after_write): not edits, never audited.';
revoke all on function app.computed_columns(text) from public;
grant execute on function app.computed_columns(text) to crm_app, crm_helper;

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
      and n.key <> all (app.computed_columns(tg_table_name))
      and n.value is distinct from old_row -> n.key;
    if changed = '{}' then
      return null;  -- a no-op update, bookkeeping or scores only: not a change
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
comment on function app.audit_row_change() is 'AFTER ROW trigger on business tables: appends the change to crm.audit_log (computed score columns are not changes).';

create or replace function app.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  computed text[] := app.computed_columns(tg_table_name);
begin
  if computed <> '{}'
     and (pg_catalog.to_jsonb(new) - computed - 'updated_at') = (pg_catalog.to_jsonb(old) - computed - 'updated_at') then
    new.updated_at := old.updated_at;  -- only scores changed: not an update of the row
  else
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function app.set_updated_at() is 'BEFORE UPDATE trigger: stamps updated_at (not when only computed score columns change).';

create or replace function app.activities_maintain_links()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE'
     and (new.company_id, new.contact_id, new.deal_id, new.user_id, new.type, new.date, new.details)
         is not distinct from (old.company_id, old.contact_id, old.deal_id, old.user_id, old.type, old.date, old.details)
  then
    -- only the sentiment was (re)scored: the interaction inherits it, the links stand
    update crm.contact_interactions ci set sentiment_score = new.sentiment_score
    where ci.activity_id = new.id and ci.contact_id = new.contact_id
      and ci.sentiment_score is distinct from new.sentiment_score;
    return null;
  end if;

  if tg_op = 'UPDATE' then
    delete from crm.company_activities ca
    where ca.activity_id = new.id and ca.link_source in ('direct', 'contact', 'deal');
    delete from crm.contact_interactions ci
    where ci.activity_id = new.id and ci.contact_id is distinct from new.contact_id;
  end if;

  -- the strongest way each company is reached wins (direct > deal > contact)
  insert into crm.company_activities (company_id, activity_id, relationship_strength, link_source)
  select distinct on (link.company_id) link.company_id, new.id, link.strength, link.source
  from (
    select new.company_id as company_id, 1.00 as strength, 'direct' as source
    union all
    select d.company_id, 0.90, 'deal' from crm.deals d where d.id = new.deal_id
    union all
    select c.company_id, 0.80, 'contact' from crm.contacts c where c.id = new.contact_id
  ) link
  where link.company_id is not null
  order by link.company_id, link.strength desc
  on conflict (company_id, activity_id) do nothing;

  if new.contact_id is not null then
    insert into crm.contact_interactions
      (contact_id, user_id, activity_id, interaction_type, direction, sentiment_score, interaction_date, notes)
    values (
      new.contact_id, new.user_id, new.id,
      case new.type when 'call' then 'call' when 'email' then 'email' when 'outbound' then 'email'
                    when 'meeting' then 'meeting' when 'proposal' then 'email' else 'other' end,
      'outbound', new.sentiment_score, new.date, left(new.details, 20000))
    on conflict (contact_id, activity_id) do update
      set user_id = excluded.user_id, interaction_type = excluded.interaction_type,
          sentiment_score = excluded.sentiment_score, interaction_date = excluded.interaction_date,
          notes = excluded.notes;
  end if;
  return null;
end
$$;
comment on function app.activities_maintain_links() is 'AFTER INSERT/UPDATE on activities: rewrites its company_activities and contact_interactions links (a sentiment-only update just passes the sentiment on).';

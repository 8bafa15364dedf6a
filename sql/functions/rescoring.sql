-- Rescoring: storing the computed scores (rescore_* batch functions for the nightly
-- job, rescore_after_write for the app) and the score history. Hot path (15 s target
-- at 2M rows): the rescore_* functions keep their own plan settings (enable_nestloop,
-- plan_cache_mode) and are written out one by one.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function crm.record_score_history(company_ids uuid[] default NULL::uuid[], deal_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
declare
  snapshot_day date := (as_of at time zone 'UTC')::date;
  n1 integer;
  n2 integer;
begin
  perform app.require_ai_features();
  insert into crm.company_score_history as h (company_id, day, engagement_score, lead_score, recorded_at)
  select c.id, snapshot_day, c.engagement_score, c.lead_score, as_of from crm.companies c
  where company_ids is null or c.id = any (company_ids)
  on conflict on constraint pk_company_score_history do update
    set engagement_score = excluded.engagement_score, lead_score = excluded.lead_score,
        recorded_at = excluded.recorded_at
    where (h.engagement_score, h.lead_score) is distinct from (excluded.engagement_score, excluded.lead_score);
  get diagnostics n1 = row_count;
  insert into crm.deal_score_history as h (deal_id, day, deal_intelligence_score, win_probability_ai, risk_factor_count,
                                           recorded_at)
  select d.id, snapshot_day, d.deal_intelligence_score, d.win_probability_ai, coalesce(cardinality(d.risk_factors), 0), as_of
  from crm.deals d
  where deal_ids is null or d.id = any (deal_ids)
  on conflict on constraint pk_deal_score_history do update
    set deal_intelligence_score = excluded.deal_intelligence_score, win_probability_ai = excluded.win_probability_ai,
        risk_factor_count = excluded.risk_factor_count, recorded_at = excluded.recorded_at
    where (h.deal_intelligence_score, h.win_probability_ai, h.risk_factor_count)
          is distinct from (excluded.deal_intelligence_score, excluded.win_probability_ai, excluded.risk_factor_count);
  get diagnostics n2 = row_count;
  return n1 + n2;
end
$$;
comment on function crm.record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone) is 'Upserts today''s (UTC) score snapshot of the given (null: all) companies and deals; writes only rows that are new or changed; returns their number.';
revoke all on function crm.record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.rescore_activities(activity_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    set enable_mergejoin to 'off'
    as $$
declare
  changed integer;
  today date := (as_of at time zone 'UTC')::date;
  no_sentiment constant numeric := -9;
begin
  perform app.require_ai_features();
  if activity_ids is not null then
    with derived as (
      select a.id,
             case when a.status in ('cancelled', 'no_show') then 'low'
                  else case
                    when q.v >= 0.85 then 'excellent' when q.v >= 0.6 then 'high' when q.v >= 0.35 then 'medium' else 'low'
                  end end as quality,
             case when a.status in ('cancelled', 'no_show') then 'negative'
                  when a.sentiment_score is null then 'unclear'
                  when a.sentiment_score >= 0.25 then 'positive'
                  when a.sentiment_score <= -0.25 then 'negative' else 'neutral' end as outcome,
             case when a.status = 'pending' then round(greatest(
               case when d.status = 'active' and d.expected_close_date is not null
                    then least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) else 0 end,
               least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
             )::numeric, 2) else 0 end as urgency
      from crm.activities a
      left join crm.deals d on d.id = a.deal_id
      cross join lateral (
        select case a.type when 'sale' then 0.9 when 'meeting' then 0.7 when 'proposal' then 0.7 when 'call' then 0.55
                           when 'email' then 0.45 when 'note' then 0.4 else 0.3 end
               + 0.3 * coalesce(a.sentiment_score, 0) as v
      ) q
      where a.id = any (activity_ids)
    )
    update crm.activities a
    set engagement_quality = derived.quality, outcome_prediction = derived.outcome, urgency_score = derived.urgency
    from derived
    where a.id = derived.id
      and (a.engagement_quality, a.outcome_prediction, a.urgency_score)
          is distinct from (derived.quality, derived.outcome, derived.urgency);
    get diagnostics changed = row_count;
    return changed;
  end if;

  -- Every activity: one scan, the same values as above, looked up instead of computed per row:
  --   q:  quality and outcome (when not cancelled/no_show) per (type, sentiment): sentiment_score is
  --       numeric(3,2) between -1 and 1 (a CHECK), so 201 values and "none" (no_sentiment) cover every row;
  --       types are the seven of check_activities_type;
  --       materialized, so its 1,414 rows are computed once (inlined, the planner folded its CASEs
  --       over numerics into the join filter: they ran for each of the 2,000,000 activities);
  --   only a pending activity has urgency: its deal's close-date pressure is looked up for it alone
  --   (18,000 of 2,000,000 at the large scale), not hash-joined to every activity.
  with q as materialized (
    select t.type, s.key,
           case when t.base + 0.3 * coalesce(s.sentiment, 0) >= 0.85 then 'excellent'
                when t.base + 0.3 * coalesce(s.sentiment, 0) >= 0.6 then 'high'
                when t.base + 0.3 * coalesce(s.sentiment, 0) >= 0.35 then 'medium' else 'low' end as quality,
           case when s.sentiment is null then 'unclear'
                when s.sentiment >= 0.25 then 'positive'
                when s.sentiment <= -0.25 then 'negative' else 'neutral' end as outcome
    from (values ('sale', 0.9), ('meeting', 0.7), ('proposal', 0.7), ('call', 0.55), ('email', 0.45), ('note', 0.4),
                 ('outbound', 0.3)) t(type, base)
    cross join (
      select (g / 100.0)::numeric(3,2) as sentiment, (g / 100.0)::numeric(3,2) as key from generate_series(-100, 100) g
      union all
      select null, no_sentiment
    ) s
  )
  update crm.activities a
  set engagement_quality = case when a.status in ('cancelled', 'no_show') then 'low' else q.quality end,
      outcome_prediction = case when a.status in ('cancelled', 'no_show') then 'negative' else q.outcome end,
      urgency_score = case when a.status = 'pending'
                           then round(greatest(coalesce((select least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) from crm.deals d
                                                         where d.id = a.deal_id and d.status = 'active' and d.expected_close_date is not null), 0),
                                               least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
                                      )::numeric, 2)
                           else 0 end
  from q
  where q.type = a.type and q.key = coalesce(a.sentiment_score, no_sentiment)
    and (a.engagement_quality, a.outcome_prediction, a.urgency_score)
        is distinct from (
          case when a.status in ('cancelled', 'no_show') then 'low' else q.quality end,
          case when a.status in ('cancelled', 'no_show') then 'negative' else q.outcome end,
          case when a.status = 'pending'
               then round(greatest(coalesce((select least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) from crm.deals d
                                                         where d.id = a.deal_id and d.status = 'active' and d.expected_close_date is not null), 0),
                                   least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
                          )::numeric, 2)
               else 0 end);
  get diagnostics changed = row_count;
  return changed;
end
$$;
revoke all on function crm.rescore_activities(activity_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.rescore_activities(activity_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function app.rescore_after_write(deal_ids uuid[] default '{}'::uuid[], company_ids uuid[] default '{}'::uuid[], contact_ids uuid[] default '{}'::uuid[], activity_ids uuid[] default '{}'::uuid[]) returns void
    language plpgsql security definer
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
declare
  as_of timestamptz := pg_catalog.now();
  all_contacts uuid[];
  all_deals uuid[];
  all_companies uuid[];
begin
  deal_ids := coalesce(deal_ids, '{}');
  company_ids := coalesce(company_ids, '{}');
  contact_ids := coalesce(contact_ids, '{}');
  activity_ids := coalesce(activity_ids, '{}');
  if greatest(cardinality(deal_ids), cardinality(company_ids), cardinality(contact_ids), cardinality(activity_ids)) > 1000 then
    raise exception 'rescore_after_write takes at most 1000 ids per kind; use crm score --all'
      using errcode = 'program_limit_exceeded';
  end if;
  if cardinality(deal_ids) > 0 then
    -- a deal's status and close date set the urgency of all its activities (nothing else of theirs)
    perform crm.rescore_activities(array(select a.id from crm.activities a where a.deal_id = any (deal_ids)), as_of);
  end if;
  if cardinality(activity_ids) > 0 then
    perform crm.rescore_activities(activity_ids, as_of);
    select array(select distinct a.contact_id from crm.activities a
                 where a.id = any (activity_ids) and a.contact_id is not null) || contact_ids
      into contact_ids;
    select array(select distinct a.deal_id from crm.activities a
                 where a.id = any (activity_ids) and a.deal_id is not null) || deal_ids
      into deal_ids;
    select array(select distinct ca.company_id from crm.company_activities ca
                 where ca.activity_id = any (activity_ids)) || company_ids
      into company_ids;
  end if;
  all_contacts := array(select distinct u.id from unnest(contact_ids) u(id));
  perform crm.rescore_contacts(all_contacts, as_of);
  all_deals := array(
    select distinct x.id from (
      select u.id from unnest(deal_ids) u(id)
      union all
      select s.deal_id from crm.deal_stakeholders s where s.contact_id = any (all_contacts)
    ) x);
  perform crm.rescore_deals(all_deals, as_of);
  perform crm.rescore_win_probability(all_deals, as_of);
  all_companies := array(
    select distinct x.id from (
      select u.id from unnest(company_ids) u(id)
      union all
      select d.company_id from crm.deals d where d.id = any (all_deals) and d.company_id is not null
      union all
      select c.company_id from crm.contacts c where c.id = any (all_contacts) and c.company_id is not null
    ) x);
  perform crm.rescore_companies(all_companies, as_of);
  perform crm.record_score_history(all_companies, all_deals, as_of);
end
$$;
alter function app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) owner to crm_helper;
comment on function app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) is 'Recomputes the scores of the written rows and what depends on them (SECURITY DEFINER as crm_helper: scores read all rows; writes only computed columns). Returns nothing.';
revoke all on function app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) from public;
grant execute on function app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) to crm_app;

create or replace function crm.rescore_companies(company_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    set enable_nestloop to 'on'
    as $$
declare
  changed integer;
begin
  if company_ids is null then
    perform pg_catalog.set_config('enable_nestloop', 'off', true);
  end if;
  update crm.companies c
  set engagement_score = b.engagement_score, lead_score = b.lead_score, last_engagement_date = b.last_engagement_date
  from crm.company_score_breakdown(company_ids, as_of) b
  where c.id = b.company_id
    and (company_ids is null or c.id = any (company_ids))  -- a few: found by id, not a hash of the whole table
    and (c.engagement_score, c.lead_score, c.last_engagement_date)
        is distinct from (b.engagement_score, b.lead_score, b.last_engagement_date);
  get diagnostics changed = row_count;
  return changed;
end
$$;
revoke all on function crm.rescore_companies(company_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.rescore_companies(company_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.rescore_contacts(contact_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    set enable_nestloop to 'on'
    as $$
declare
  changed integer;
begin
  if contact_ids is null then
    perform pg_catalog.set_config('enable_nestloop', 'off', true);
  end if;
  update crm.contacts c
  set engagement_score = b.engagement_score, decision_maker_score = b.decision_maker_score,
      interaction_count = b.interaction_count, last_interaction_date = b.last_interaction_date
  from crm.contact_score_breakdown(contact_ids, as_of) b
  where c.id = b.contact_id
    and (contact_ids is null or c.id = any (contact_ids))  -- a few: found by id, not a hash of the whole table
    and (c.engagement_score, c.decision_maker_score, c.interaction_count, c.last_interaction_date)
        is distinct from (b.engagement_score, b.decision_maker_score, b.interaction_count, b.last_interaction_date);
  get diagnostics changed = row_count;
  return changed;
end
$$;
revoke all on function crm.rescore_contacts(contact_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.rescore_contacts(contact_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.rescore_deals(deal_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    set enable_nestloop to 'on'
    as $$
declare
  changed integer;
begin
  if deal_ids is null then
    perform pg_catalog.set_config('enable_nestloop', 'off', true);
  end if;
  update crm.deals d
  set deal_intelligence_score = b.deal_intelligence_score, risk_factors = b.risk_factors
  from crm.deal_score_breakdown(deal_ids, as_of) b
  where d.id = b.deal_id
    and (deal_ids is null or d.id = any (deal_ids))  -- a few: found by id, not a hash of the whole table
    and (d.deal_intelligence_score, d.risk_factors) is distinct from (b.deal_intelligence_score, b.risk_factors);
  get diagnostics changed = row_count;
  return changed;
end
$$;
revoke all on function crm.rescore_deals(deal_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.rescore_deals(deal_ids uuid[], as_of timestamp with time zone) to crm_helper;

revoke create on schema app from crm_helper;

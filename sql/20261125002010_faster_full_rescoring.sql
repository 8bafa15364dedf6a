-- Faster full rescoring (`crm score`, bench/rescore.py at the large scale),
-- same results. Found with EXPLAIN ANALYZE on the large demo (2M activities,
-- 1.8 GB of heap, 100k deals, 50k companies); figures in bench/rescore.py.
--   * crm.rescore_activities(null) read activities twice (the derived values
--     in a CTE joined back to the table by id: two 1.8 GB scans and a 2M-row
--     hash join spilling to disk), and computed quality and outcome per row.
--     Now one scan: quality and outcome are looked up per (type, sentiment),
--     the deal's close-date pressure per deal, and rows are compared in place;
--     only changed rows are written. A list of ids keeps the old statement.
--   * The aggregates of crm.deal_score_breakdown (recent deal activity),
--     crm.company_score_breakdown (activities through company_activities) and
--     crm.deal_win_features (activity before the cutoff) each read the whole
--     activities heap for five narrow columns. A covering index on the date
--     with those columns lets them scan 160 MB instead (index-only: the
--     heap is all-visible after a vacuum; scoring changes few rows).
--   * crm.deal_win_features read its deals through a CTE that four other CTEs
--     joined (so it was materialised, and the activity aggregate could not
--     run in parallel). Each aggregate now joins crm.deals itself with the same
--     cutoff (closed_at for a closed deal, as_of for an open one).
--   * crm.rescore_contacts/deals/companies(null) joined the breakdown's rows to
--     the table by index one row at a time (a function scan is estimated at
--     1000 rows); for all rows they now hash-join.
--   * The sentiment stage of `crm score` looks for texts not scored yet: a
--     partial index holds exactly those activities (empty once scored).
-- The formulas are unchanged (tests/test_scores.py, test_win_model.py).

create index index_activities_on_date_for_scoring on crm.activities (date)
  include (id, deal_id, status, engagement_quality, sentiment_score);
comment on index crm.index_activities_on_date_for_scoring is
  'Index-only scans for the scoring aggregates (deal activity, company activity, win features): bench/rescore.py.';
create index index_activities_on_id_unscored on crm.activities (id)
  where sentiment_score is null and details is not null;
comment on index crm.index_activities_on_id_unscored is
  'Activities whose text has no sentiment yet (the sentiment stage of crm score): bench/rescore.py.';

create or replace function crm.rescore_activities(activity_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set plan_cache_mode = force_custom_plan
set enable_mergejoin = off
as $$
declare
  changed integer;
  today date := (as_of at time zone 'UTC')::date;
  no_deal constant uuid := '00000000-0000-0000-0000-000000000000';
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
             round(greatest(
               case when d.status = 'active' and d.expected_close_date is not null
                    then least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) else 0 end,
               case when a.status = 'pending'
                    then least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0)) else 0 end
             )::numeric, 2) as urgency
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
  --   du: per deal, its close-date pressure and the urgency of a non-pending activity (no_deal: none).
  update crm.activities a
  set engagement_quality = case when a.status in ('cancelled', 'no_show') then 'low' else q.quality end,
      outcome_prediction = case when a.status in ('cancelled', 'no_show') then 'negative' else q.outcome end,
      urgency_score = case when a.status = 'pending'
                           then round(greatest(du.pressure,
                                               least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
                                      )::numeric, 2)
                           else du.urgency end
  from (
    select d.id, p.pressure, round(greatest(p.pressure, 0)::numeric, 2) as urgency
    from crm.deals d
    cross join lateral (
      select case when d.status = 'active' and d.expected_close_date is not null
                  then least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) else 0 end as pressure
    ) p
    union all
    select no_deal, 0, round(greatest(0, 0)::numeric, 2)
  ) du,
  (
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
  ) q
  where du.id = coalesce(a.deal_id, no_deal)
    and q.type = a.type and q.key = coalesce(a.sentiment_score, no_sentiment)
    and (a.engagement_quality, a.outcome_prediction, a.urgency_score)
        is distinct from (
          case when a.status in ('cancelled', 'no_show') then 'low' else q.quality end,
          case when a.status in ('cancelled', 'no_show') then 'negative' else q.outcome end,
          case when a.status = 'pending'
               then round(greatest(du.pressure,
                                   least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
                          )::numeric, 2)
               else du.urgency end);
  get diagnostics changed = row_count;
  return changed;
end
$$;

create or replace function crm.deal_win_features(deal_ids uuid[] default null, as_of timestamptz default now())
returns table (deal_id uuid, is_closed boolean, won boolean, stage_probability numeric, x float8[])
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
begin
  perform app.require_ai_features();
  -- each aggregate joins crm.deals itself (d.created_at <= as_of, cutoff = coalesce(d.closed_at, as_of)),
  -- so none reads a shared CTE and the big ones can run in parallel
  return query
  with hist as (
    select h.deal_id, max(s.default_probability) filter (where not s.is_won and not s.is_lost) as furthest,
           max(h.changed_at) as entered
    from crm.deal_stage_history h
    join crm.deals d on d.id = h.deal_id
    join crm.deal_stages s on s.id = h.to_stage_id
    where (deal_ids is null or h.deal_id = any (deal_ids)) and d.created_at <= as_of
      and h.changed_at < coalesce(d.closed_at, as_of)
    group by h.deal_id
  ),
  act as (
    select a.deal_id, count(*) as n,
           count(*) filter (where a.date > coalesce(d.closed_at, as_of) - interval '30 days') as n30,
           avg(a.sentiment_score) as sentiment,
           avg(a.sentiment_score) filter (where a.date > coalesce(d.closed_at, as_of) - interval '30 days') as sentiment30
    from crm.activities a join crm.deals d on d.id = a.deal_id
    where (deal_ids is null or a.deal_id = any (deal_ids)) and d.created_at <= as_of
      and a.status = 'completed' and a.date < coalesce(d.closed_at, as_of)
    group by a.deal_id
  ),
  links as (
    select dm.deal_id, dm.meeting_id from crm.deal_meetings dm
    where deal_ids is null or dm.deal_id = any (deal_ids)
    union
    select m.primary_deal_id, m.id from crm.meetings m
    where m.primary_deal_id is not null and (deal_ids is null or m.primary_deal_id = any (deal_ids))
  ),
  mtg as (
    select links.deal_id, count(*) as n,
           avg(case m.meeting_outcome when 'positive' then 1.0 when 'neutral' then 0.5 else 0 end) as outcome,
           avg(m.sentiment_score) as sentiment
    from links join crm.deals d on d.id = links.deal_id join crm.meetings m on m.id = links.meeting_id
    where d.created_at <= as_of
      and m.meeting_outcome in ('positive', 'neutral', 'negative') and m.starts_at < coalesce(d.closed_at, as_of)
    group by links.deal_id
  ),
  stk as (
    select s.deal_id, count(*) as n, bool_or(s.is_champion or s.role = 'champion') as champion,
           bool_or(s.role in ('decision_maker', 'budget_holder')) as dm
    from crm.deal_stakeholders s join crm.deals d on d.id = s.deal_id
    where (deal_ids is null or s.deal_id = any (deal_ids)) and d.created_at <= as_of
      and s.created_at < coalesce(d.closed_at, as_of)
    group by s.deal_id
  )
  select d.id, d.status <> 'active', d.status = 'won', st.default_probability / 100.0,
         array[
           coalesce(hist.furthest, 0) / 100.0,
           ln(1 + greatest(0, extract(epoch from coalesce(d.closed_at, as_of) - d.created_at) / 86400)),
           ln(1 + greatest(0, extract(epoch from coalesce(d.closed_at, as_of) - coalesce(hist.entered, d.created_at)) / 86400)),
           ln(1 + coalesce(act.n, 0)),
           ln(1 + coalesce(act.n30, 0)),
           coalesce(act.sentiment, 0),
           coalesce(act.sentiment30, act.sentiment, 0),
           ln(1 + coalesce(mtg.n, 0)),
           coalesce(mtg.outcome, 0.5),
           coalesce(mtg.sentiment, 0),
           least(coalesce(stk.n, 0), 6),
           coalesce(stk.champion, false)::integer,
           coalesce(stk.dm, false)::integer,
           ln(1 + d.value)
         ]::float8[]
  from crm.deals d
  join crm.deal_stages st on st.id = d.stage_id
  left join hist on hist.deal_id = d.id
  left join act on act.deal_id = d.id
  left join mtg on mtg.deal_id = d.id
  left join stk on stk.deal_id = d.id
  where (deal_ids is null or d.id = any (deal_ids)) and d.created_at <= as_of;
end
$$;
comment on function crm.deal_win_features(uuid[], timestamptz) is 'Win-model features per deal as of its close (closed) or as_of (open); see crm.win_feature_names().';

-- --- batch updates: hash joins for all rows ----------------------------------------------------
-- enable_nestloop is off only for a call without ids (restored when the function returns); with
-- ids (app.rescore_after_write) the few rows are still found by index.

create or replace function crm.rescore_contacts(contact_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set enable_nestloop = on
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
    and (c.engagement_score, c.decision_maker_score, c.interaction_count, c.last_interaction_date)
        is distinct from (b.engagement_score, b.decision_maker_score, b.interaction_count, b.last_interaction_date);
  get diagnostics changed = row_count;
  return changed;
end
$$;

create or replace function crm.rescore_deals(deal_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set enable_nestloop = on
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
    and (d.deal_intelligence_score, d.risk_factors) is distinct from (b.deal_intelligence_score, b.risk_factors);
  get diagnostics changed = row_count;
  return changed;
end
$$;

create or replace function crm.rescore_companies(company_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set enable_nestloop = on
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
    and (c.engagement_score, c.lead_score, c.last_engagement_date)
        is distinct from (b.engagement_score, b.lead_score, b.last_engagement_date);
  get diagnostics changed = row_count;
  return changed;
end
$$;

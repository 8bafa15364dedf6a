-- The intelligence scores of companies, contacts and deals: their thresholds,
-- the breakdown functions that compute every component for many ids at once
-- (what rescoring stores), and the single-score functions the app calls.

-- Every threshold the scores, the risk factors, the dashboards, the totals
-- triggers and the pages use, in one row. SQL reads a single one with
-- crm.threshold(name); Python reads the row (dashboard/intelligence/risk.py)
-- and templates print it (the `thresholds()` template global).
create or replace function crm.intelligence_thresholds()
returns table(
  engagement_window_days integer,        -- days of interactions an engagement score looks back on
  deal_activity_window_days integer,     -- days of activity a deal's intelligence score looks back on
  no_activity_days integer,              -- risk: no activity on an open deal for this many days
  stalled_stage_days integer,            -- risk: in the same stage for this many days
  single_threaded_max_contacts integer,  -- risk: this many engaged contacts or fewer
  sentiment_window_days integer,         -- risk: days of sentiment compared with the deal's average
  negative_sentiment_level numeric,      -- risk: recent sentiment below this
  negative_sentiment_drop numeric,       -- risk: recent sentiment this far below the deal's average
  min_scored_activities integer,         -- activities a sentiment trend needs
  min_closed_deals integer,              -- closed deals the win model needs before it is trained
  high_win_probability numeric,          -- a deal counts as likely to win above this win probability
  top_opportunity_score integer,         -- an open deal is a top opportunity above this intelligence score
  high_score integer,                    -- a 0-100 score is high from here (companies: highly engaged above it)
  medium_score integer,                  -- a 0-100 score is medium from here (companies: active above it)
  decision_maker_score numeric           -- a contact counts as a decision maker from this score (0-1)
)
    language sql immutable rows 1
    set search_path to ''
    as $$
  select 90, 30, 14, 30, 1, 30, -0.20, 0.30, 2, 30, 0.70, 75, 80, 50, 0.70
$$;
comment on function crm.intelligence_thresholds() is 'Every threshold the scores, risk factors, dashboards, totals and pages use (Python reads it too).';
revoke all on function crm.intelligence_thresholds() from public;
grant execute on function crm.intelligence_thresholds() to crm_app;
grant execute on function crm.intelligence_thresholds() to crm_helper;

-- One threshold by name. Immutable with a constant argument, so the planner
-- evaluates it once while planning (a trigger's WHEN clause once per
-- statement): a query reads the same constant it would with the number
-- written out, and a name that is not a threshold is an error, not a null.
create or replace function crm.threshold(p_name text) returns numeric
    language plpgsql immutable parallel safe
    set search_path to ''
    as $$
declare
  v_value numeric;
begin
  select (pg_catalog.to_jsonb(t) ->> p_name)::numeric into v_value from crm.intelligence_thresholds() t;
  if v_value is null then
    raise exception 'no threshold named %', p_name using errcode = 'undefined_object';
  end if;
  return v_value;
end
$$;
comment on function crm.threshold(p_name text) is 'One value of crm.intelligence_thresholds() by name (an error for an unknown name).';
revoke all on function crm.threshold(p_name text) from public;
grant execute on function crm.threshold(p_name text) to crm_app, crm_helper;

-- How a function that takes ids plans its statements. A few ids (a page's "why this score",
-- the rescoring after a write) run a kept (generic) plan: index lookups by id, planned once per
-- connection, where planning on each call cost more than running (5-8 ms against under 1.5 ms
-- at the large scale). Many ids (the nightly rescoring, a backtest) get a plan made for the ids
-- given. Such a function filters by `= any (ids)` only (a null meaning "all" is resolved into
-- the array first: an `ids is null or ...` cannot use an index in a kept plan), keeps its own
-- `set plan_cache_mode` clause (which restores the caller's setting at its exit) and starts with
--   perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(ids)), true);
create or replace function crm.plan_mode_for_ids(id_count integer) returns text
    language sql immutable
    set search_path to ''
    as $$
  select case when id_count <= 50 then 'force_generic_plan' else 'force_custom_plan' end
$$;
comment on function crm.plan_mode_for_ids(id_count integer) is 'The plan_cache_mode for a function''s statements over id_count ids: a kept (generic) plan for up to 50, a plan per call for more.';
revoke all on function crm.plan_mode_for_ids(id_count integer) from public;
grant execute on function crm.plan_mode_for_ids(id_count integer) to crm_app, crm_helper;

-- The calculate_* functions below give one score of one row. They read the
-- breakdowns (which check the AI gate); this says what a missing row means.
create or replace function crm.single_score(subject text, subject_id uuid, scores numeric[]) returns numeric
    language plpgsql immutable
    set search_path to ''
    as $$
begin
  if pg_catalog.cardinality(scores) = 0 then
    raise exception '% % not found', subject, subject_id using errcode = 'no_data_found';
  end if;
  return scores[1];
end
$$;
comment on function crm.single_score(subject text, subject_id uuid, scores numeric[]) is 'The one score a calculate_* function found for its id; raises no_data_found (naming the subject) when there is none.';
revoke all on function crm.single_score(subject text, subject_id uuid, scores numeric[]) from public;
grant execute on function crm.single_score(subject text, subject_id uuid, scores numeric[]) to crm_app;

create or replace function crm.company_score_breakdown(company_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns table(company_id uuid, activities_90d integer, activity_quality numeric, activity_component numeric, meetings_90d integer, meeting_sentiment numeric, meeting_component numeric, interactions_90d integer, interaction_engagement numeric, interaction_component numeric, active_deals integer, deal_component numeric, engagement_score numeric, lead_score numeric, last_engagement_date timestamp with time zone)
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
declare
  win interval := (select pg_catalog.make_interval(days => t.engagement_window_days)
                   from crm.intelligence_thresholds() t);
begin
  perform app.require_ai_features();
  company_ids := coalesce(company_ids, array(select x.id from crm.companies x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(company_ids)), true);
  return query
  with target as (
    select c.id, c.account_tier, c.is_target_account from crm.companies c
    where c.id = any (company_ids)
  ),
  act as (
    select ca.company_id,
           count(*) filter (where a.date > as_of - win) as n,
           sum(ca.relationship_strength
               * case a.engagement_quality when 'excellent' then 1.0 when 'high' then 0.8 when 'medium' then 0.6
                                           when 'low' then 0.3 else 0.5 end) filter (where a.date > as_of - win) as weighted,
           sum(ca.relationship_strength) filter (where a.date > as_of - win) as weight,
           max(a.date) as last_at
    from crm.company_activities ca join crm.activities a on a.id = ca.activity_id
    where ca.company_id = any (company_ids)
      and a.status = 'completed' and a.date <= as_of
    group by ca.company_id
  ),
  mtg as (
    select m.company_id,
           count(*) filter (where m.starts_at > as_of - win) as n,
           avg((coalesce(m.sentiment_score, 0) + 1) / 2) filter (where m.starts_at > as_of - win) as mean,
           max(m.starts_at) as last_at
    from crm.meetings m
    where m.company_id is not null and m.company_id = any (company_ids)
      and m.meeting_outcome in ('positive', 'neutral', 'negative') and m.starts_at <= as_of
    group by m.company_id
  ),
  itx as (
    select ct.company_id,
           count(*) filter (where ci.interaction_date > as_of - win) as n,
           avg(coalesce(ci.engagement_score, 0.5)) filter (where ci.interaction_date > as_of - win) as mean,
           max(ci.interaction_date) as last_at
    from crm.contact_interactions ci join crm.contacts ct on ct.id = ci.contact_id
    where ct.company_id is not null and ct.company_id = any (company_ids)
      and ci.interaction_date <= as_of
    group by ct.company_id
  ),
  dls as (
    select d.company_id, count(*) as n, avg(d.deal_intelligence_score / 100) as mean
    from crm.deals d
    where d.status = 'active' and d.company_id is not null and d.company_id = any (company_ids)
    group by d.company_id
  ),
  dms as (
    select ct.company_id, max(ct.decision_maker_score) as best
    from crm.contacts ct
    where ct.company_id is not null and ct.company_id = any (company_ids)
    group by ct.company_id
  ),
  parts as (
    select target.id, target.account_tier, target.is_target_account,
           coalesce(act.n, 0)::integer as a_n, act.weighted / nullif(act.weight, 0) as a_mean,
           round(coalesce(act.weighted / nullif(act.weight, 0), 0) * least(1.0, coalesce(act.n, 0) / 10.0), 4) as a_part,
           coalesce(mtg.n, 0)::integer as m_n, mtg.mean as m_mean,
           round(coalesce(mtg.mean, 0) * least(1.0, coalesce(mtg.n, 0) / 4.0), 4) as m_part,
           coalesce(itx.n, 0)::integer as i_n, itx.mean as i_mean,
           round(coalesce(itx.mean, 0) * least(1.0, coalesce(itx.n, 0) / 10.0), 4) as i_part,
           coalesce(dls.n, 0)::integer as d_n, round(coalesce(dls.mean, 0), 4) as d_part,
           coalesce(dms.best, 0) as best_dm,
           greatest(act.last_at, mtg.last_at, itx.last_at) as last_at
    from target
    left join act on act.company_id = target.id
    left join mtg on mtg.company_id = target.id
    left join itx on itx.company_id = target.id
    left join dls on dls.company_id = target.id
    left join dms on dms.company_id = target.id
  ),
  scored as (
    select parts.*,
           round(100 * (0.30 * parts.a_part + 0.25 * parts.m_part + 0.25 * parts.i_part + 0.20 * parts.d_part), 2) as score
    from parts
  )
  select scored.id, scored.a_n, round(scored.a_mean, 4), scored.a_part, scored.m_n, round(scored.m_mean, 4),
         scored.m_part, scored.i_n, round(scored.i_mean, 4), scored.i_part, scored.d_n, scored.d_part, scored.score,
         round(100 * (0.45 * scored.score / 100
                      + 0.20 * case scored.account_tier when 'enterprise' then 1.0 when 'mid-market' then 0.75
                                                        when 'smb' then 0.5 else 0.35 end
                      + 0.15 * scored.is_target_account::integer
                      + 0.20 * scored.best_dm), 2),
         scored.last_at
  from scored;
end
$$;
comment on function crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) is 'Company engagement components (A, M, I, D), engagement and lead score (null ids = all); the "why" of a company''s score.';
revoke all on function crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) to crm_app;
grant execute on function crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone default now()) returns numeric
    language sql stable
    set search_path to ''
    as $$
  select crm.single_score('company', company_id,
                          array(select b.engagement_score from crm.company_score_breakdown(array[company_id], as_of) b))
$$;

create or replace function crm.calculate_lead_score(company_id uuid, as_of timestamp with time zone default now()) returns numeric
    language sql stable
    set search_path to ''
    as $$
  select crm.single_score('company', company_id,
                          array(select b.lead_score from crm.company_score_breakdown(array[company_id], as_of) b))
$$;

create or replace function crm.contact_score_breakdown(contact_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns table(contact_id uuid, interactions_90d integer, mean_engagement_90d numeric, seniority_value numeric, role_value numeric, decision_maker_score numeric, engagement_score numeric, interaction_count integer, last_interaction_date timestamp with time zone)
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
declare
  win interval := (select pg_catalog.make_interval(days => t.engagement_window_days)
                   from crm.intelligence_thresholds() t);
begin
  perform app.require_ai_features();
  contact_ids := coalesce(contact_ids, array(select x.id from crm.contacts x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(contact_ids)), true);
  return query
  with target as (
    select c.id, c.job_seniority from crm.contacts c
    where c.id = any (contact_ids)
  ),
  itx as (
    select ci.contact_id,
           count(*) filter (where ci.interaction_date > as_of - win) as n90,
           avg(coalesce(ci.engagement_score, 0.5))
             filter (where ci.interaction_date > as_of - win) as mean90,
           count(*) as n_all,
           max(ci.interaction_date) as last_at
    from crm.contact_interactions ci
    where ci.contact_id = any (contact_ids) and ci.interaction_date <= as_of
    group by ci.contact_id
  ),
  roles as (
    select s.contact_id,
           max(greatest(case when s.is_champion then 0.7 else 0 end,
                        case s.role when 'decision_maker' then 1.0 when 'budget_holder' then 0.9
                                    when 'champion' then 0.7 when 'influencer' then 0.6
                                    when 'technical_evaluator' then 0.5 when 'procurement' then 0.4
                                    when 'legal' then 0.3 when 'gatekeeper' then 0.3 else 0.2 end)) as best
    from crm.deal_stakeholders s
    where s.contact_id = any (contact_ids)
    group by s.contact_id
  ),
  parts as (
    select target.id,
           coalesce(itx.n90, 0)::integer as n90,
           itx.mean90,
           case target.job_seniority when 'c-level' then 1.0 when 'executive' then 0.8 when 'senior' then 0.6
                                     when 'mid' then 0.4 when 'entry' then 0.2 else 0.3 end as seniority,
           coalesce(roles.best, 0) as role_value,
           coalesce(itx.n_all, 0)::integer as n_all,
           itx.last_at
    from target left join itx on itx.contact_id = target.id left join roles on roles.contact_id = target.id
  )
  select parts.id, parts.n90, round(parts.mean90, 4), parts.seniority, parts.role_value,
         round(0.6 * parts.seniority + 0.4 * parts.role_value, 2),
         round(100 * coalesce(parts.mean90, 0) * least(1.0, parts.n90 / 5.0), 2),
         parts.n_all, parts.last_at
  from parts;
end
$$;
comment on function crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) is 'Contact engagement, decision-maker score and interaction counts with their components (null ids = all).';
revoke all on function crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) to crm_app;
grant execute on function crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone default now()) returns numeric
    language sql stable
    set search_path to ''
    as $$
  select crm.single_score('contact', contact_id,
                          array(select b.engagement_score from crm.contact_score_breakdown(array[contact_id], as_of) b))
$$;

create or replace function crm.calculate_decision_maker_score(contact_id uuid) returns numeric
    language sql stable
    set search_path to ''
    as $$
  select crm.single_score('contact', contact_id,
                          array(select b.decision_maker_score from crm.contact_score_breakdown(array[contact_id], now()) b))
$$;

create or replace function crm.deal_score_breakdown(deal_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns table(deal_id uuid, stakeholder_count integer, has_champion boolean, has_decision_maker boolean, stakeholder_component numeric, meetings_counted integer, mean_meeting_outcome numeric, meeting_component numeric, activities_30d integer, mean_activity_quality numeric, activity_component numeric, contact_quality_component numeric, deal_intelligence_score numeric, risk_factors text[])
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
declare
  th record;
begin
  perform app.require_ai_features();
  deal_ids := coalesce(deal_ids, array(select x.id from crm.deals x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(deal_ids)), true);
  select * into th from crm.intelligence_thresholds();
  return query
  with target as (
    select d.id, d.status, d.expected_close_date, d.stage_changed_at from crm.deals d
    where d.id = any (deal_ids)
  ),
  stk as (
    select s.deal_id, count(*) as n,
           bool_or(s.is_champion or s.role = 'champion') as champion,
           bool_or(s.role in ('decision_maker', 'budget_holder')) as dm,
           avg(0.6 * ct.decision_maker_score + 0.4 * ct.engagement_score / 100) as quality
    from crm.deal_stakeholders s join crm.contacts ct on ct.id = s.contact_id
    where s.deal_id = any (deal_ids)
    group by s.deal_id
  ),
  links as (
    select dm.deal_id, dm.meeting_id from crm.deal_meetings dm
    where dm.deal_id = any (deal_ids)
    union
    select m.primary_deal_id, m.id from crm.meetings m
    where m.primary_deal_id is not null and m.primary_deal_id = any (deal_ids)
  ),
  mtg as (
    select links.deal_id, count(*) as n,
           avg(case m.meeting_outcome when 'positive' then 1.0 when 'neutral' then 0.5
                                      when 'reschedule' then 0.25 else 0 end) as mean
    from links join crm.meetings m on m.id = links.meeting_id
    where m.meeting_outcome in ('positive', 'neutral', 'reschedule', 'negative', 'no_show')
      and m.starts_at <= as_of
    group by links.deal_id
  ),
  act as (
    select a.deal_id,
           count(*) filter (where a.date > as_of - pg_catalog.make_interval(days => th.deal_activity_window_days)) as n30,
           avg(case a.engagement_quality when 'excellent' then 1.0 when 'high' then 0.8 when 'medium' then 0.6
                                         when 'low' then 0.3 else 0.5 end)
             filter (where a.date > as_of - pg_catalog.make_interval(days => th.deal_activity_window_days)) as quality30,
           count(*) filter (where a.date > as_of - pg_catalog.make_interval(days => th.no_activity_days)) as n_recent,
           count(a.sentiment_score) filter (where a.date > as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_n1,
           avg(a.sentiment_score) filter (where a.date > as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_mean1,
           count(a.sentiment_score) filter (where a.date <= as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_n0,
           avg(a.sentiment_score) filter (where a.date <= as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_mean0
    from crm.activities a
    where a.deal_id is not null and a.deal_id = any (deal_ids)
      and a.status = 'completed' and a.date <= as_of
      and a.date > as_of - pg_catalog.make_interval(days => greatest(th.deal_activity_window_days, th.no_activity_days,
                                                                      2 * th.sentiment_window_days))
    group by a.deal_id
  ),
  parts as (
    select target.id, target.status, target.expected_close_date, target.stage_changed_at,
           coalesce(stk.n, 0)::integer as stk_n, coalesce(stk.champion, false) as champion,
           coalesce(stk.dm, false) as dm,
           round(0.4 * least(1.0, coalesce(stk.n, 0) / 3.0) + 0.3 * (coalesce(stk.champion, false))::integer
                 + 0.3 * (coalesce(stk.dm, false))::integer, 4) as s_part,
           coalesce(mtg.n, 0)::integer as m_n, mtg.mean as m_mean,
           round(coalesce(mtg.mean, 0) * least(1.0, coalesce(mtg.n, 0) / 3.0), 4) as m_part,
           coalesce(act.n30, 0)::integer as a_n, act.quality30 as a_mean,
           round(coalesce(act.quality30, 0) * least(1.0, coalesce(act.n30, 0) / 8.0), 4) as a_part,
           round(coalesce(stk.quality, 0), 4) as c_part,
           coalesce(act.n_recent, 0) as n_recent, act.s_n1, act.s_mean1, act.s_n0, act.s_mean0
    from target
    left join stk on stk.deal_id = target.id
    left join mtg on mtg.deal_id = target.id
    left join act on act.deal_id = target.id
  )
  select parts.id, parts.stk_n, parts.champion, parts.dm, parts.s_part, parts.m_n, round(parts.m_mean, 4),
         parts.m_part, parts.a_n, round(parts.a_mean, 4), parts.a_part, parts.c_part,
         round(25 * (parts.s_part + parts.m_part + parts.a_part + parts.c_part), 2),
         case when parts.status <> 'active' then '{}'::text[] else array_remove(array[
           case when parts.n_recent = 0 then 'no_activity_14d' end,
           case when parts.expected_close_date < (as_of at time zone 'UTC')::date then 'close_date_passed' end,
           case when parts.stk_n <= th.single_threaded_max_contacts then 'single_threaded' end,
           case when not parts.champion then 'no_champion' end,
           case when coalesce(parts.s_n1, 0) >= th.min_scored_activities
                 and (parts.s_mean1 <= th.negative_sentiment_level
                      or (coalesce(parts.s_n0, 0) >= th.min_scored_activities
                          and parts.s_mean0 - parts.s_mean1 >= th.negative_sentiment_drop))
                then 'negative_sentiment_trend' end,
           case when not parts.dm then 'no_decision_maker' end,
           case when parts.stage_changed_at < as_of - pg_catalog.make_interval(days => th.stalled_stage_days)
                then 'stalled_in_stage' end
         ], null) end
  from parts;
end
$$;
comment on function crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) is 'Deal intelligence components, score and risk factors (null ids = all); the "why" of a deal''s score.';
revoke all on function crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) to crm_app;
grant execute on function crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone default now()) returns numeric
    language sql stable
    set search_path to ''
    as $$
  select crm.single_score('deal', deal_id,
                          array(select b.deal_intelligence_score from crm.deal_score_breakdown(array[deal_id], as_of) b))
$$;

-- the single-score functions are the app's (the rescoring job reads the breakdowns)
revoke all on function crm.calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone),
                       crm.calculate_lead_score(company_id uuid, as_of timestamp with time zone),
                       crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone),
                       crm.calculate_decision_maker_score(contact_id uuid),
                       crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone)
  from public;
grant execute on function crm.calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone),
                          crm.calculate_lead_score(company_id uuid, as_of timestamp with time zone),
                          crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone),
                          crm.calculate_decision_maker_score(contact_id uuid),
                          crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone)
  to crm_app;

-- Intelligence scores (DESIGN.md "Intelligence"): contact engagement and
-- decision-maker score, deal intelligence and risk factors, win-probability
-- features and prediction, company engagement and lead score.
--
-- Shape: one set-returning "breakdown" function per entity computes every
-- component for a set of ids (null = all rows) as of a time (default now()),
-- from pre-aggregated CTEs joined by key (no fan-out join multiplies a sum).
-- The single-row calculate_* functions and the batch rescore_* functions
-- (ONE update statement each) both read it, so they cannot disagree.
-- Order of computation: sentiment -> contacts -> deals -> win -> companies.
--
-- AI gate: every function here first calls app.require_ai_features(): an app
-- user (crm_app, under RLS) without users.ai_features gets
-- insufficient_privilege; the batch job (superuser) and the rescoring helper
-- (crm_helper, BYPASSRLS) pass. Called by crm_app, the results are computed
-- from the rows that user may see (RLS applies: security invoker).
-- Errors raise; nothing is swallowed into 0.
--
-- Filters are written "(ids is null or x.id = any (ids))": plpgsql plans them
-- per call with the value bound (plan_cache_mode = force_custom_plan), so a
-- single id uses the indexes and null scans once.

-- --- the gate --------------------------------------------------------------------

create or replace function app.require_ai_features()
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if exists (select 1 from pg_catalog.pg_roles r
             where r.rolname = current_user and (r.rolsuper or r.rolbypassrls)) then
    return;  -- the scoring job or the rescoring helper: not an app user
  end if;
  if not coalesce((select u.ai_features from crm.users u
                   where u.id = app.current_user_id() and u.is_active), false) then
    raise exception 'AI features are not enabled for this user'
      using errcode = 'insufficient_privilege';
  end if;
end
$$;
comment on function app.require_ai_features() is
  'Raises insufficient_privilege unless the acting app user has ai_features (superuser/BYPASSRLS callers pass).';
revoke all on function app.require_ai_features() from public;
grant execute on function app.require_ai_features() to crm_app, crm_helper;

-- --- thresholds: the one place ----------------------------------------------------

create or replace function crm.intelligence_thresholds()
returns table (
  engagement_window_days integer,      -- company/contact engagement look back
  deal_activity_window_days integer,   -- deal intelligence: activity engagement
  no_activity_days integer,            -- risk no_activity_14d
  stalled_stage_days integer,          -- risk stalled_in_stage
  single_threaded_max_contacts integer,-- risk single_threaded: stakeholders <= this
  sentiment_window_days integer,       -- risk negative_sentiment_trend: recent vs previous window
  negative_sentiment_level numeric,    -- recent mean at or below this is negative
  negative_sentiment_drop numeric,     -- or recent mean fell by at least this
  min_scored_activities integer,       -- scored activities needed in the recent window
  min_closed_deals integer             -- win model: below this, stage default probability
)
language sql
immutable
rows 1
set search_path = ''
as $$
  select 90, 30, 14, 30, 1, 30, -0.20, 0.30, 2, 30
$$;
comment on function crm.intelligence_thresholds() is 'Every threshold the scores and risk factors use (Python reads it too).';

-- --- contacts -----------------------------------------------------------------------
-- decision_maker_score (0-1) = round(0.6 * seniority + 0.4 * best stakeholder role, 2)
--   seniority: c-level 1, executive .8, senior .6, mid .4, entry .2, unknown .3
--   role (over all the contact's stakeholder rows; champion flag counts as
--   champion): decision_maker 1, budget_holder .9, champion .7, influencer .6,
--   technical_evaluator .5, procurement .4, legal .3, gatekeeper .3,
--   end_user .2, other .2; not a stakeholder 0
-- engagement_score (0-100) = 100 * mean engagement (unknown .5) of the
--   interactions in the last 90 days * min(1, n/5)
-- interaction_count / last_interaction_date: all interactions up to as_of

create or replace function crm.contact_score_breakdown(contact_ids uuid[] default null,
                                                       as_of timestamptz default now())
returns table (contact_id uuid, interactions_90d integer, mean_engagement_90d numeric,
               seniority_value numeric, role_value numeric, decision_maker_score numeric,
               engagement_score numeric, interaction_count integer, last_interaction_date timestamptz)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  win interval := (select pg_catalog.make_interval(days => t.engagement_window_days)
                   from crm.intelligence_thresholds() t);
begin
  perform app.require_ai_features();
  return query
  with target as (
    select c.id, c.job_seniority from crm.contacts c
    where contact_ids is null or c.id = any (contact_ids)
  ),
  itx as (
    select ci.contact_id,
           count(*) filter (where ci.interaction_date > as_of - win) as n90,
           avg(coalesce(ci.engagement_score, 0.5))
             filter (where ci.interaction_date > as_of - win) as mean90,
           count(*) as n_all,
           max(ci.interaction_date) as last_at
    from crm.contact_interactions ci
    where (contact_ids is null or ci.contact_id = any (contact_ids)) and ci.interaction_date <= as_of
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
    where contact_ids is null or s.contact_id = any (contact_ids)
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
comment on function crm.contact_score_breakdown(uuid[], timestamptz) is 'Contact engagement, decision-maker score and interaction counts with their components (null ids = all).';

create or replace function crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamptz default now())
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  result numeric;
begin
  select b.engagement_score into result from crm.contact_score_breakdown(array[contact_id], as_of) b;
  if not found then
    raise exception 'contact % not found', contact_id using errcode = 'no_data_found';
  end if;
  return result;
end
$$;

create or replace function crm.calculate_decision_maker_score(contact_id uuid)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  result numeric;
begin
  select b.decision_maker_score into result from crm.contact_score_breakdown(array[contact_id], now()) b;
  if not found then
    raise exception 'contact % not found', contact_id using errcode = 'no_data_found';
  end if;
  return result;
end
$$;

-- --- deals --------------------------------------------------------------------------
-- deal_intelligence_score (0-100) = 25 * (stakeholders + meetings + activity + contact quality):
--   stakeholders = 0.4 min(1, n/3) + 0.3 has champion (flag or role) + 0.3 has decision_maker/budget_holder
--   meetings     = mean outcome value (positive 1, neutral .5, reschedule .25, negative/no_show 0)
--                  * min(1, n/3), over the deal's meetings (deal_meetings or primary deal) up to as_of
--                  with one of those outcomes (pending and cancelled are not counted)
--   activity     = mean quality (excellent 1, high .8, medium .6, low .3, unknown .5) of the deal's
--                  completed activities in the last 30 days * min(1, n/8)
--   contact quality = mean over stakeholder contacts of 0.6 decision_maker_score + 0.4 engagement/100
-- risk_factors (active deals only, thresholds in crm.intelligence_thresholds()):
--   no_activity_14d          no completed activity on the deal in the last 14 days
--   close_date_passed        expected_close_date before as_of's date
--   single_threaded          at most 1 stakeholder
--   no_champion              no stakeholder is a champion
--   no_decision_maker        no decision_maker / budget_holder stakeholder
--   negative_sentiment_trend >= 2 scored activities in the last 30 days and their mean sentiment
--                            <= -0.20, or it fell by >= 0.30 from the 30 days before (>= 2 scored there)
--   stalled_in_stage         in its stage for more than 30 days

create or replace function crm.deal_score_breakdown(deal_ids uuid[] default null, as_of timestamptz default now())
returns table (deal_id uuid, stakeholder_count integer, has_champion boolean, has_decision_maker boolean,
               stakeholder_component numeric, meetings_counted integer, mean_meeting_outcome numeric,
               meeting_component numeric, activities_30d integer, mean_activity_quality numeric,
               activity_component numeric, contact_quality_component numeric,
               deal_intelligence_score numeric, risk_factors text[])
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  th record;
begin
  perform app.require_ai_features();
  select * into th from crm.intelligence_thresholds();
  return query
  with target as (
    select d.id, d.status, d.expected_close_date, d.stage_changed_at from crm.deals d
    where deal_ids is null or d.id = any (deal_ids)
  ),
  stk as (
    select s.deal_id, count(*) as n,
           bool_or(s.is_champion or s.role = 'champion') as champion,
           bool_or(s.role in ('decision_maker', 'budget_holder')) as dm,
           avg(0.6 * ct.decision_maker_score + 0.4 * ct.engagement_score / 100) as quality
    from crm.deal_stakeholders s join crm.contacts ct on ct.id = s.contact_id
    where deal_ids is null or s.deal_id = any (deal_ids)
    group by s.deal_id
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
    where a.deal_id is not null and (deal_ids is null or a.deal_id = any (deal_ids))
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
comment on function crm.deal_score_breakdown(uuid[], timestamptz) is 'Deal intelligence components, score and risk factors (null ids = all); the "why" of a deal''s score.';

create or replace function crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamptz default now())
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  result numeric;
begin
  select b.deal_intelligence_score into result from crm.deal_score_breakdown(array[deal_id], as_of) b;
  if not found then
    raise exception 'deal % not found', deal_id using errcode = 'no_data_found';
  end if;
  return result;
end
$$;

-- --- win probability ------------------------------------------------------------------
-- Features of each deal as they stood at its cutoff: closed_at for a closed
-- deal (only rows dated strictly before it are read; the won/lost stage row,
-- closed_at itself and the sale logged after a win are never features), as_of
-- for an open one. Every feature is computed the same way for both, so the
-- model trained on closed deals applies to open ones. Order matters: the model
-- stores the names and crm.predict_win_probability checks them.

create or replace function crm.win_feature_names()
returns text[]
language sql
immutable
set search_path = ''
as $$
  select array['furthest_stage_probability', 'log_age_days', 'log_days_in_stage', 'log_activities',
               'log_activities_30d', 'mean_activity_sentiment', 'recent_activity_sentiment',
               'log_meetings_held', 'mean_meeting_outcome', 'mean_meeting_sentiment',
               'stakeholders', 'has_champion', 'has_decision_maker', 'log_value']
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
  return query
  with target as (
    select d.id, d.status, d.created_at, d.value, coalesce(d.closed_at, as_of) as cutoff,
           s.default_probability
    from crm.deals d join crm.deal_stages s on s.id = d.stage_id
    where (deal_ids is null or d.id = any (deal_ids)) and d.created_at <= as_of
  ),
  hist as (
    select h.deal_id, max(s.default_probability) filter (where not s.is_won and not s.is_lost) as furthest,
           max(h.changed_at) as entered
    from crm.deal_stage_history h
    join target on target.id = h.deal_id
    join crm.deal_stages s on s.id = h.to_stage_id
    where h.changed_at < target.cutoff
    group by h.deal_id
  ),
  act as (
    select a.deal_id, count(*) as n,
           count(*) filter (where a.date > target.cutoff - interval '30 days') as n30,
           avg(a.sentiment_score) as sentiment,
           avg(a.sentiment_score) filter (where a.date > target.cutoff - interval '30 days') as sentiment30
    from crm.activities a join target on target.id = a.deal_id
    where a.status = 'completed' and a.date < target.cutoff
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
    from links join target on target.id = links.deal_id join crm.meetings m on m.id = links.meeting_id
    where m.meeting_outcome in ('positive', 'neutral', 'negative') and m.starts_at < target.cutoff
    group by links.deal_id
  ),
  stk as (
    select s.deal_id, count(*) as n, bool_or(s.is_champion or s.role = 'champion') as champion,
           bool_or(s.role in ('decision_maker', 'budget_holder')) as dm
    from crm.deal_stakeholders s join target on target.id = s.deal_id
    where s.created_at < target.cutoff
    group by s.deal_id
  )
  select target.id, target.status <> 'active', target.status = 'won', target.default_probability / 100.0,
         array[
           coalesce(hist.furthest, 0) / 100.0,
           ln(1 + greatest(0, extract(epoch from target.cutoff - target.created_at) / 86400)),
           ln(1 + greatest(0, extract(epoch from target.cutoff - coalesce(hist.entered, target.created_at)) / 86400)),
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
           ln(1 + target.value)
         ]::float8[]
  from target
  left join hist on hist.deal_id = target.id
  left join act on act.deal_id = target.id
  left join mtg on mtg.deal_id = target.id
  left join stk on stk.deal_id = target.id;
end
$$;
comment on function crm.deal_win_features(uuid[], timestamptz) is 'Win-model features per deal as of its close (closed) or as_of (open); see crm.win_feature_names().';

-- The newest model in crm.win_models; the stage's default probability when
-- there is none or it is the stage_default fallback.
create or replace function crm.predict_win_probability(deal_ids uuid[] default null, as_of timestamptz default now())
returns table (deal_id uuid, win_probability numeric, source text)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  model jsonb;
  intercept float8;
  coef float8[];
  mu float8[];
  sd float8[];
begin
  perform app.require_ai_features();
  select wm.model into model from crm.win_models wm order by wm.trained_at desc, wm.id desc limit 1;
  if model is not null then
    if (model -> 'features') <> to_jsonb(crm.win_feature_names()) then
      raise exception 'stored win model features do not match crm.win_feature_names(): retrain with crm score --all'
        using errcode = 'data_exception';
    end if;
    intercept := (model ->> 'intercept')::float8;
    coef := array(select e::float8 from jsonb_array_elements_text(model -> 'coef') e);
    mu := array(select e::float8 from jsonb_array_elements_text(model -> 'mean') e);
    sd := array(select e::float8 from jsonb_array_elements_text(model -> 'scale') e);
  end if;
  return query
  select f.deal_id,
         round(case
           when model is null then f.stage_probability
           else (1 / (1 + exp(-(intercept + (
             select sum(w.c * (w.xv - w.m) / w.s) from unnest(f.x, coef, mu, sd) as w(xv, c, m, s))))))::numeric
         end, 2),
         case when model is null then 'stage_default' else 'model' end
  from crm.deal_win_features(deal_ids, as_of) f
  where not f.is_closed;
end
$$;
comment on function crm.predict_win_probability(uuid[], timestamptz) is 'Win probability of open deals from the newest stored model (stage default without one).';

-- --- companies ---------------------------------------------------------------------------
-- engagement_score (0-100) = 100 * (0.30 A + 0.25 M + 0.25 I + 0.20 D), last 90 days:
--   A = relationship-strength-weighted mean quality (excellent 1, high .8, medium .6, low .3,
--       unknown .5) of the company's completed activities (company_activities) * min(1, n/10)
--   M = mean (sentiment + 1)/2 (unknown sentiment .5) of held meetings (outcome positive,
--       neutral or negative) of the company * min(1, n/4)
--   I = mean engagement (unknown .5) of the interactions of the company's contacts * min(1, n/10)
--   D = mean deal_intelligence_score/100 of the company's active deals (0 if none)
-- lead_score (0-100) = 100 * (0.45 engagement/100 + 0.20 tier + 0.15 target account
--   + 0.20 best contact decision_maker_score); tier enterprise 1, mid-market .75, smb .5, startup .35
-- last_engagement_date = latest completed activity, held meeting or contact interaction up to as_of

create or replace function crm.company_score_breakdown(company_ids uuid[] default null,
                                                       as_of timestamptz default now())
returns table (company_id uuid, activities_90d integer, activity_quality numeric, activity_component numeric,
               meetings_90d integer, meeting_sentiment numeric, meeting_component numeric,
               interactions_90d integer, interaction_engagement numeric, interaction_component numeric,
               active_deals integer, deal_component numeric, engagement_score numeric, lead_score numeric,
               last_engagement_date timestamptz)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  win interval := (select pg_catalog.make_interval(days => t.engagement_window_days)
                   from crm.intelligence_thresholds() t);
begin
  perform app.require_ai_features();
  return query
  with target as (
    select c.id, c.account_tier, c.is_target_account from crm.companies c
    where company_ids is null or c.id = any (company_ids)
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
    where (company_ids is null or ca.company_id = any (company_ids))
      and a.status = 'completed' and a.date <= as_of
    group by ca.company_id
  ),
  mtg as (
    select m.company_id,
           count(*) filter (where m.starts_at > as_of - win) as n,
           avg((coalesce(m.sentiment_score, 0) + 1) / 2) filter (where m.starts_at > as_of - win) as mean,
           max(m.starts_at) as last_at
    from crm.meetings m
    where m.company_id is not null and (company_ids is null or m.company_id = any (company_ids))
      and m.meeting_outcome in ('positive', 'neutral', 'negative') and m.starts_at <= as_of
    group by m.company_id
  ),
  itx as (
    select ct.company_id,
           count(*) filter (where ci.interaction_date > as_of - win) as n,
           avg(coalesce(ci.engagement_score, 0.5)) filter (where ci.interaction_date > as_of - win) as mean,
           max(ci.interaction_date) as last_at
    from crm.contact_interactions ci join crm.contacts ct on ct.id = ci.contact_id
    where ct.company_id is not null and (company_ids is null or ct.company_id = any (company_ids))
      and ci.interaction_date <= as_of
    group by ct.company_id
  ),
  dls as (
    select d.company_id, count(*) as n, avg(d.deal_intelligence_score / 100) as mean
    from crm.deals d
    where d.status = 'active' and d.company_id is not null and (company_ids is null or d.company_id = any (company_ids))
    group by d.company_id
  ),
  dms as (
    select ct.company_id, max(ct.decision_maker_score) as best
    from crm.contacts ct
    where ct.company_id is not null and (company_ids is null or ct.company_id = any (company_ids))
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
comment on function crm.company_score_breakdown(uuid[], timestamptz) is 'Company engagement components (A, M, I, D), engagement and lead score (null ids = all); the "why" of a company''s score.';

create or replace function crm.calculate_company_engagement_score(company_id uuid, as_of timestamptz default now())
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  result numeric;
begin
  select b.engagement_score into result from crm.company_score_breakdown(array[company_id], as_of) b;
  if not found then
    raise exception 'company % not found', company_id using errcode = 'no_data_found';
  end if;
  return result;
end
$$;

create or replace function crm.calculate_lead_score(company_id uuid, as_of timestamptz default now())
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  result numeric;
begin
  select b.lead_score into result from crm.company_score_breakdown(array[company_id], as_of) b;
  if not found then
    raise exception 'company % not found', company_id using errcode = 'no_data_found';
  end if;
  return result;
end
$$;

-- --- activity-derived fields ---------------------------------------------------------------
-- From sentiment (VADER compound, set by dashboard.intelligence.sentiment), type, status and
-- follow-through, and the dates (see dashboard/intelligence/sentiment.py for the rationale):
--   engagement_quality: cancelled/no_show -> low; otherwise type base (sale .9, meeting .7,
--     proposal .7, call .55, email .45, note .4, outbound .3) + 0.3 sentiment (unknown 0)
--     + 0.1 if a follow-up came from it (activity_meetings link or a contact interaction
--     that is inbound); >= .85 excellent, >= .6 high, >= .35 medium, else low
--   outcome_prediction: cancelled/no_show -> negative; no sentiment -> unclear;
--     sentiment >= .25 positive, <= -.25 negative, else neutral
--   urgency_score (0-1): the larger of the deal's close-date pressure
--     (active deal: 1 - days to expected close / 60, clamped) and, for a pending activity,
--     1 - days until it is due / 14 (overdue = 1)

create or replace function crm.rescore_activities(activity_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  changed integer;
begin
  perform app.require_ai_features();
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
                  then least(1.0, greatest(0.0, 1 - (d.expected_close_date - (as_of at time zone 'UTC')::date) / 60.0)) else 0 end,
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
    where activity_ids is null or a.id = any (activity_ids)
  )
  update crm.activities a
  set engagement_quality = derived.quality, outcome_prediction = derived.outcome, urgency_score = derived.urgency
  from derived
  where a.id = derived.id
    and (a.engagement_quality, a.outcome_prediction, a.urgency_score)
        is distinct from (derived.quality, derived.outcome, derived.urgency);
  get diagnostics changed = row_count;
  return changed;
end
$$;

-- --- batch rescoring: one update per table -------------------------------------------------

create or replace function crm.rescore_contacts(contact_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  changed integer;
begin
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
as $$
declare
  changed integer;
begin
  update crm.deals d
  set deal_intelligence_score = b.deal_intelligence_score, risk_factors = b.risk_factors
  from crm.deal_score_breakdown(deal_ids, as_of) b
  where d.id = b.deal_id
    and (d.deal_intelligence_score, d.risk_factors) is distinct from (b.deal_intelligence_score, b.risk_factors);
  get diagnostics changed = row_count;
  return changed;
end
$$;

-- open deals get the prediction; closed ones their outcome (won 1, lost 0)
create or replace function crm.rescore_win_probability(deal_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  changed integer;
begin
  update crm.deals d
  set win_probability_ai = coalesce(p.win_probability, case d.status when 'won' then 1 when 'lost' then 0 end)
  from crm.deals x
  left join crm.predict_win_probability(deal_ids, as_of) p on p.deal_id = x.id
  where d.id = x.id and (deal_ids is null or x.id = any (deal_ids))
    and d.win_probability_ai is distinct from
        coalesce(p.win_probability, case d.status when 'won' then 1 when 'lost' then 0 end);
  get diagnostics changed = row_count;
  return changed;
end
$$;

create or replace function crm.rescore_companies(company_ids uuid[] default null, as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  changed integer;
begin
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

-- today's snapshot of the given (null = all) companies and deals
create or replace function crm.record_score_history(company_ids uuid[] default null, deal_ids uuid[] default null,
                                                    as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  snapshot_day date := (as_of at time zone 'UTC')::date;
  n1 integer;
  n2 integer;
begin
  perform app.require_ai_features();
  insert into crm.company_score_history (company_id, day, engagement_score, lead_score, recorded_at)
  select c.id, snapshot_day, c.engagement_score, c.lead_score, as_of from crm.companies c
  where company_ids is null or c.id = any (company_ids)
  on conflict on constraint pk_company_score_history do update
    set engagement_score = excluded.engagement_score, lead_score = excluded.lead_score,
        recorded_at = excluded.recorded_at;
  get diagnostics n1 = row_count;
  insert into crm.deal_score_history (deal_id, day, deal_intelligence_score, win_probability_ai, risk_factor_count, recorded_at)
  select d.id, snapshot_day, d.deal_intelligence_score, d.win_probability_ai, coalesce(cardinality(d.risk_factors), 0), as_of
  from crm.deals d
  where deal_ids is null or d.id = any (deal_ids)
  on conflict on constraint pk_deal_score_history do update
    set deal_intelligence_score = excluded.deal_intelligence_score, win_probability_ai = excluded.win_probability_ai,
        risk_factor_count = excluded.risk_factor_count, recorded_at = excluded.recorded_at;
  get diagnostics n2 = row_count;
  return n1 + n2;
end
$$;

-- --- rescoring after a write, for the app ---------------------------------------------------
-- Runs as crm_helper (SECURITY DEFINER) for a written reason: a score must be
-- computed from ALL the rows it summarises (a company's engagement includes
-- other reps' activities), which the acting user may not see under RLS, and it
-- must be stored on rows the acting user may not update (the company of a
-- deal they own). It returns nothing, writes only computed columns and the
-- score history, and recomputes at most 1000 ids per kind per call. The
-- affected set is widened along the inputs: contacts -> their deals (as
-- stakeholders) -> the deals' companies; activities -> their deal and companies.

create or replace function app.rescore_after_write(deal_ids uuid[] default '{}', company_ids uuid[] default '{}',
                                                   contact_ids uuid[] default '{}', activity_ids uuid[] default '{}')
returns void
language plpgsql
volatile
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
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
comment on function app.rescore_after_write(uuid[], uuid[], uuid[], uuid[]) is
  'Recomputes the scores of the written rows and what depends on them (SECURITY DEFINER as crm_helper: scores read all rows; writes only computed columns). Returns nothing.';

-- --- privileges ------------------------------------------------------------------------------
-- Functions are executable by PUBLIC by default: take that away everywhere,
-- then give the app role the read-only AI functions (each gated) and the
-- rescoring entry point; crm_helper executes what rescore_after_write calls.

revoke all on function
  crm.intelligence_thresholds(), crm.win_feature_names(),
  crm.contact_score_breakdown(uuid[], timestamptz), crm.calculate_contact_engagement_score(uuid, timestamptz),
  crm.calculate_decision_maker_score(uuid),
  crm.deal_score_breakdown(uuid[], timestamptz), crm.calculate_deal_intelligence_score(uuid, timestamptz),
  crm.deal_win_features(uuid[], timestamptz), crm.predict_win_probability(uuid[], timestamptz),
  crm.company_score_breakdown(uuid[], timestamptz), crm.calculate_company_engagement_score(uuid, timestamptz),
  crm.calculate_lead_score(uuid, timestamptz),
  crm.rescore_activities(uuid[], timestamptz), crm.rescore_contacts(uuid[], timestamptz),
  crm.rescore_deals(uuid[], timestamptz), crm.rescore_win_probability(uuid[], timestamptz),
  crm.rescore_companies(uuid[], timestamptz), crm.record_score_history(uuid[], uuid[], timestamptz),
  app.rescore_after_write(uuid[], uuid[], uuid[], uuid[])
from public;

grant execute on function
  crm.intelligence_thresholds(), crm.win_feature_names(),
  crm.contact_score_breakdown(uuid[], timestamptz), crm.calculate_contact_engagement_score(uuid, timestamptz),
  crm.calculate_decision_maker_score(uuid),
  crm.deal_score_breakdown(uuid[], timestamptz), crm.calculate_deal_intelligence_score(uuid, timestamptz),
  crm.company_score_breakdown(uuid[], timestamptz), crm.calculate_company_engagement_score(uuid, timestamptz),
  crm.calculate_lead_score(uuid, timestamptz),
  app.rescore_after_write(uuid[], uuid[], uuid[], uuid[])
to crm_app;

grant execute on function
  crm.intelligence_thresholds(), crm.win_feature_names(),
  crm.contact_score_breakdown(uuid[], timestamptz), crm.deal_score_breakdown(uuid[], timestamptz),
  crm.deal_win_features(uuid[], timestamptz), crm.predict_win_probability(uuid[], timestamptz),
  crm.company_score_breakdown(uuid[], timestamptz),
  crm.rescore_activities(uuid[], timestamptz), crm.rescore_contacts(uuid[], timestamptz),
  crm.rescore_deals(uuid[], timestamptz), crm.rescore_win_probability(uuid[], timestamptz),
  crm.rescore_companies(uuid[], timestamptz), crm.record_score_history(uuid[], uuid[], timestamptz)
to crm_helper;

-- what the helper reads and the computed columns it writes (nothing else)
grant usage on schema crm, app to crm_helper;
grant select on crm.companies, crm.contacts, crm.deals, crm.deal_stages, crm.deal_stage_history,
  crm.activities, crm.meetings, crm.company_activities, crm.deal_meetings, crm.contact_interactions,
  crm.deal_stakeholders, crm.win_models, crm.company_score_history, crm.deal_score_history
  to crm_helper;
grant update (engagement_quality, outcome_prediction, urgency_score) on crm.activities to crm_helper;
grant update (engagement_score, decision_maker_score, interaction_count, last_interaction_date)
  on crm.contacts to crm_helper;
grant update (deal_intelligence_score, risk_factors, win_probability_ai) on crm.deals to crm_helper;
grant update (engagement_score, lead_score, last_engagement_date) on crm.companies to crm_helper;
grant insert, update on crm.company_score_history, crm.deal_score_history to crm_helper;

-- ALTER ... OWNER needs CREATE on the schema for the new owner: for this migration only
grant create on schema app to crm_helper;
alter function app.rescore_after_write(uuid[], uuid[], uuid[], uuid[]) owner to crm_helper;
revoke create on schema app from crm_helper;

-- The win-probability model: the features of deals as of a moment, the prediction from the
-- newest stored model, and storing it on the deals.
--
-- "As of" means what the CRM knew then, for every deal (so a past date can be replayed and a
-- backtest cannot read the future):
--   * a deal exists from its created_at; it is closed only if closed_at <= as_of (a deal closed
--     later is open as of then), and won only if closed won by then;
--   * its stage then is the last open stage it entered (deal_stage_history) before as_of;
--   * its features are cut at the close for a deal closed by then, else at as_of (the cutoff):
--     completed activities and held meetings that happened before the cutoff (with the sentiment
--     of their texts), meetings booked by then for later, and stakeholders added before it.
--     Never the won/lost stage, the close itself, or anything written after the cutoff.
-- Known limit: a text or meeting outcome edited after as_of is read as it is now (no history of
-- edits is kept); a stakeholder removed after as_of is not counted.
--
-- Each aggregate reads its own source table grouped by (deal, as_of) and is left-joined once,
-- so no join multiplies rows (no fan-out) and the big ones can run in parallel.

create or replace function crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) returns table(deal_id uuid, as_of timestamp with time zone, is_closed boolean, won boolean, stage_probability numeric, x double precision[])
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
begin
  perform app.require_ai_features();
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(deal_ids)), true);
  return query
  with snap as not materialized (
    -- one row per (deal, moment), for deals that existed then; cutoff: the close if closed by then
    select p.deal_id, p.as_of, d.created_at, d.value, d.stage_id, d.status, d.stage_changed_at,
           coalesce(d.closed_at <= p.as_of, false) as closed,
           case when d.closed_at <= p.as_of then d.closed_at else p.as_of end as cutoff,
           -- rows count while their time is before upto: strictly before the close (nothing written at
           -- closing), up to and including as_of for an open deal (a row written in the same transaction)
           case when d.closed_at <= p.as_of then d.closed_at else p.as_of + interval '1 microsecond' end as upto
    from unnest(deal_ids, as_ofs) as p(deal_id, as_of)
    join crm.deals d on d.id = p.deal_id
    where d.created_at <= p.as_of
  ),
  hist as (
    -- open stages entered before the cutoff: the furthest, the last one (the stage then) and when
    select s.deal_id, s.as_of,
           max(st.default_probability) as furthest,
           (array_agg(st.default_probability order by h.changed_at desc))[1] as current_probability,
           max(h.changed_at) as entered
    from snap s
    join crm.deal_stage_history h on h.deal_id = s.deal_id and h.changed_at < s.upto
    join crm.deal_stages st on st.id = h.to_stage_id and not st.is_won and not st.is_lost
    group by s.deal_id, s.as_of
  ),
  act as (
    -- completed activities that happened before the cutoff
    select s.deal_id, s.as_of, count(*) as n,
           count(*) filter (where a.date > s.cutoff - interval '30 days') as n30,
           max(a.date) as last,
           avg(a.sentiment_score) as sentiment,
           avg(a.sentiment_score) filter (where a.date > s.cutoff - interval '30 days') as sentiment30,
           sum(a.sentiment_score) as sentiment_sum,
           count(*) filter (where a.sentiment_score >= 0.05) as positive,
           count(*) filter (where a.sentiment_score <= -0.05) as negative
    from snap s
    join crm.activities a on a.deal_id = s.deal_id and a.date < s.upto
    where a.status = 'completed'
    group by s.deal_id, s.as_of
  ),
  links as (
    -- a deal's meetings: linked through deal_meetings or as the primary deal (each once)
    select dm.deal_id, dm.meeting_id from crm.deal_meetings dm
    where dm.deal_id = any (deal_ids)
    union
    select m.primary_deal_id, m.id from crm.meetings m
    where m.primary_deal_id = any (deal_ids)
  ),
  mtg as (
    -- meetings held before the cutoff (with an outcome), and meetings booked by then for later
    select s.deal_id, s.as_of,
           count(*) filter (where m.starts_at < s.upto and m.meeting_outcome in ('positive', 'neutral', 'negative')) as n,
           avg(case m.meeting_outcome when 'positive' then 1.0 when 'neutral' then 0.5 else 0 end)
             filter (where m.starts_at < s.upto and m.meeting_outcome in ('positive', 'neutral', 'negative')) as outcome,
           avg(m.sentiment_score)
             filter (where m.starts_at < s.upto and m.meeting_outcome in ('positive', 'neutral', 'negative')) as sentiment,
           count(*) filter (where m.starts_at >= s.upto and m.created_at < s.upto and not s.closed
                              and m.meeting_outcome <> 'cancelled') as booked
    from snap s
    join links on links.deal_id = s.deal_id
    join crm.meetings m on m.id = links.meeting_id
    group by s.deal_id, s.as_of
  ),
  stk as (
    -- stakeholders added before the cutoff; their relationship strength only if not edited since
    select s.deal_id, s.as_of, count(*) as n, bool_or(k.is_champion or k.role = 'champion') as champion,
           bool_or(k.role in ('decision_maker', 'budget_holder')) as dm,
           avg(k.relationship_strength) filter (where k.updated_at < s.upto) as strength
    from snap s
    join crm.deal_stakeholders k on k.deal_id = s.deal_id and k.created_at < s.upto
    group by s.deal_id, s.as_of
  )
  select s.deal_id, s.as_of, s.closed, s.closed and s.status = 'won',
         case when s.closed then st.default_probability else f.stage_then end / 100.0,
         array[
           greatest(hist.furthest, f.stage_then) / 100.0,
           f.stage_then / 100.0,
           ln(1 + f.age),
           ln(1 + greatest(0, extract(epoch from s.cutoff - f.entered)::float8 / 86400)),
           ln(1 + coalesce(act.n, 0)),
           ln(1 + coalesce(act.n30, 0)),
           ln(1 + 30 * coalesce(act.n, 0) / greatest(f.age, 14)),
           ln(1 + greatest(0, extract(epoch from s.cutoff - coalesce(act.last, s.created_at))::float8 / 86400)),
           coalesce(act.sentiment, 0),
           coalesce(act.sentiment30, act.sentiment, 0),
           coalesce(act.sentiment_sum, 0) / (coalesce(act.n, 0) + 2),
           coalesce(act.positive, 0)::float8 / (coalesce(act.n, 0) + 2),
           coalesce(act.negative, 0)::float8 / (coalesce(act.n, 0) + 2),
           ln(1 + coalesce(mtg.n, 0)),
           ln(1 + 30 * coalesce(mtg.n, 0) / greatest(f.age, 14)),
           coalesce(mtg.outcome, 0.5),
           coalesce(mtg.sentiment, 0),
           least(coalesce(mtg.booked, 0), 1),
           least(coalesce(stk.n, 0), 6),
           coalesce(stk.champion, false)::integer,
           coalesce(stk.dm, false)::integer,
           coalesce(stk.strength, 0.5),
           ln(1 + s.value::float8)
         ]::float8[]
  from snap s
  join crm.deal_stages st on st.id = s.stage_id
  left join hist on hist.deal_id = s.deal_id and hist.as_of = s.as_of
  left join act on act.deal_id = s.deal_id and act.as_of = s.as_of
  left join mtg on mtg.deal_id = s.deal_id and mtg.as_of = s.as_of
  left join stk on stk.deal_id = s.deal_id and stk.as_of = s.as_of
  cross join (
    select o.default_probability as p from crm.deal_stages o
    where not o.is_won and not o.is_lost order by o.position limit 1
  ) first_open
  -- the open stage it was in then: its stage now if it is open and was entered by then (no change
  -- since), else the last one in the history, else (no history by then) its stage now if open, else
  -- the first open stage
  cross join lateral (
    select greatest(0, extract(epoch from s.cutoff - s.created_at)::float8 / 86400) as age,
           case when not s.closed and not st.is_won and not st.is_lost and s.stage_changed_at < s.upto
                then st.default_probability
                else coalesce(hist.current_probability,
                              case when st.is_won or st.is_lost then first_open.p else st.default_probability end)
           end as stage_then,
           case when not s.closed and not st.is_won and not st.is_lost and s.stage_changed_at < s.upto
                then s.stage_changed_at
                else coalesce(hist.entered, s.created_at) end as entered
  ) f;
end
$$;
comment on function crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) is 'Win-model features of each (deal, moment) pair as the CRM stood then: closed only if closed by then, stage then, rows before the cutoff; see crm.win_feature_names().';
revoke all on function crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) from public;
grant execute on function crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) to crm_helper;
-- the app reads one deal's features for its "why this number" (as the reader: row-level security applies)
grant execute on function crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) to crm_app;

create or replace function crm.deal_win_features(deal_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns table(deal_id uuid, is_closed boolean, won boolean, stage_probability numeric, x double precision[])
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
declare
  ids uuid[];
begin
  perform app.require_ai_features();
  deal_ids := coalesce(deal_ids, array(select x.id from crm.deals x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(deal_ids)), true);
  -- every deal that existed at as_of (or the given ones), each as of that one moment
  ids := array(select d.id from crm.deals d where d.id = any (deal_ids) and d.created_at <= as_of);
  return query
  select f.deal_id, f.is_closed, f.won, f.stage_probability, f.x
  from crm.deal_win_features_at(ids, array_fill(as_of, array[cardinality(ids)])) f;
end
$$;
comment on function crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) is 'Win-model features of the deals that existed at as_of, as they stood then (crm.deal_win_features_at); closed only if closed by then.';
revoke all on function crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) to crm_helper;
grant execute on function crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) to crm_app;

create or replace function crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) returns double precision
    language sql immutable
    set search_path to ''
    as $$
  -- z = (x − mean) / scale; with term_mu (a model with pairwise terms) the terms are z and every
  -- z_i × z_j (i <= j, in PolynomialFeatures' order), standardised again; logit = intercept + Σ coef × term
  with z as (
    select i, (x[i] - mu[i]) / sd[i] as v from pg_catalog.generate_subscripts(x, 1) as i
  ),
  terms as (
    select z.i as a, 0 as b, z.v from z
    union all
    select z1.i, z2.i, z1.v * z2.v from z z1 join z z2 on z2.i >= z1.i
    where term_mu is not null
  ),
  numbered as (
    select pg_catalog.row_number() over (order by (t.b > 0), t.a, t.b) as k, t.v from terms t
  )
  select intercept + sum(case when term_mu is null then coef[n.k] * n.v
                              else coef[n.k] * (n.v - term_mu[n.k]) / term_sd[n.k] end)
  from numbered n
$$;
comment on function crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) is 'The win model''s log-odds of one feature row: standardised features (and, with term_mu, their pairwise products standardised again) times the coefficients, plus the intercept.';
revoke all on function crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) from public;
grant execute on function crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) to crm_helper;

create or replace function crm.predict_win_probability(deal_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns table(deal_id uuid, win_probability numeric, source text)
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
    as $$
declare
  model jsonb;
  intercept float8;
  coef float8[];
  mu float8[];
  sd float8[];
  term_mu float8[];
  term_sd float8[];
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
    if model ->> 'terms' = 'pairwise' then
      term_mu := array(select e::float8 from jsonb_array_elements_text(model -> 'term_mean') e);
      term_sd := array(select e::float8 from jsonb_array_elements_text(model -> 'term_scale') e);
    end if;
  end if;
  return query
  select f.deal_id,
         round(case
           when model is null then f.stage_probability
           else (1 / (1 + exp(-crm.win_logit(f.x, mu, sd, term_mu, term_sd, coef, intercept))))::numeric
         end, 2),
         case when model is null then 'stage_default' else 'model' end
  from crm.deal_win_features(deal_ids, as_of) f
  where not f.is_closed;
end
$$;
comment on function crm.predict_win_probability(deal_ids uuid[], as_of timestamp with time zone) is 'Win probability of open deals from the newest stored model (stage default without one).';
revoke all on function crm.predict_win_probability(deal_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.predict_win_probability(deal_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.rescore_win_probability(deal_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
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
revoke all on function crm.rescore_win_probability(deal_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.rescore_win_probability(deal_ids uuid[], as_of timestamp with time zone) to crm_helper;

create or replace function crm.win_feature_names() returns text[]
    language sql immutable
    set search_path to ''
    as $$
  select array['furthest_stage_probability', 'stage_probability', 'log_age_days', 'log_days_in_stage',
               'log_activities', 'log_activities_30d', 'log_activities_per_30d', 'log_days_since_activity',
               'mean_activity_sentiment', 'recent_activity_sentiment', 'net_activity_sentiment',
               'positive_activity_share', 'negative_activity_share',
               'log_meetings_held', 'log_meetings_per_30d', 'mean_meeting_outcome', 'mean_meeting_sentiment',
               'meeting_booked', 'stakeholders', 'has_champion', 'has_decision_maker',
               'stakeholder_strength', 'log_value']
$$;
revoke all on function crm.win_feature_names() from public;
grant execute on function crm.win_feature_names() to crm_app;
grant execute on function crm.win_feature_names() to crm_helper;

-- The win-probability model: the features of deals, the prediction from the newest
-- stored model, and storing it on the deals.

create or replace function crm.deal_win_features(deal_ids uuid[] default NULL::uuid[], as_of timestamp with time zone default now()) returns table(deal_id uuid, is_closed boolean, won boolean, stage_probability numeric, x double precision[])
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_custom_plan'
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
           ln(1 + greatest(0, extract(epoch from coalesce(d.closed_at, as_of) - d.created_at)::float8 / 86400)),
           ln(1 + greatest(0, extract(epoch from coalesce(d.closed_at, as_of) - coalesce(hist.entered, d.created_at))::float8 / 86400)),
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
           ln(1 + d.value::float8)
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
comment on function crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) is 'Win-model features per deal as of its close (closed) or as_of (open); see crm.win_feature_names().';
revoke all on function crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) from public;
grant execute on function crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) to crm_helper;

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
  select array['furthest_stage_probability', 'log_age_days', 'log_days_in_stage', 'log_activities',
               'log_activities_30d', 'mean_activity_sentiment', 'recent_activity_sentiment',
               'log_meetings_held', 'mean_meeting_outcome', 'mean_meeting_sentiment',
               'stakeholders', 'has_champion', 'has_decision_maker', 'log_value']
$$;
revoke all on function crm.win_feature_names() from public;
grant execute on function crm.win_feature_names() to crm_app;
grant execute on function crm.win_feature_names() to crm_helper;

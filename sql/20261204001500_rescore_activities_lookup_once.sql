-- crm.rescore_activities(null), the nightly pass over every activity, as in
-- 20261204000700 but with the (type, sentiment) lookup computed once: a
-- materialized CTE of 1,414 rows. Inlined, the planner folded the lookup's
-- CASE expressions over numerics into the join filter, so they ran for each
-- of the 2,000,000 activities (bench/rescore.py as of tomorrow: 3.2-3.4 s,
-- now 2.3-2.5 s; the same 12,963 rows changed and the same values, compared
-- by a hash over every row's quality, outcome and urgency).

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

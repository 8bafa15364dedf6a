-- crm.get_team_dashboard_data reads each rep's pipeline from the deal
-- totals (20261204000800) and the members' companies once (the team's mean
-- engagement from the same sums): the same figures, two scans of the team's
-- 10,000 deals and 9,000 companies fewer (bench/dashboard.py, the team call;
-- /team in bench/pages.py), with a generic plan from the first call as
-- crm.get_crm_dashboard_data (20261204000900). Everything else as in
-- 20261125002110.

create or replace function crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_days integer;
  v_bucket text;
  v_members uuid[];
  result jsonb;
begin
  perform crm.dashboard_check_range(p_from, p_to);
  if p_manager_id is null then
    raise exception 'the team dashboard needs a manager' using errcode = 'invalid_parameter_value';
  end if;
  -- a manager for their own team; an admin for any manager
  if not ((select app.is_admin())
          or (p_manager_id = (select app.active_user_id()) and (select app.current_user_role()) = 'manager')) then
    raise exception 'not allowed to read the team dashboard of user %', p_manager_id
      using errcode = 'insufficient_privilege';
  end if;

  v_days := p_to - p_from + 1;
  v_bucket := case when v_days <= 62 then 'day' else 'week' end;

  -- the people the manager manages, directly or as the team's manager
  select coalesce(array_agg(u.id), '{}') into v_members
  from crm.users u
  where u.id <> p_manager_id and u.is_active
    and (u.manager_id = p_manager_id
         or u.team_id in (select t.id from crm.teams t where t.manager_id = p_manager_id));

  with members as (
    select u.id, u.full_name from crm.users u where u.id = any (v_members)
  ),
  kpi as (
    -- from the daily totals (counted_* leave cancelled activities out)
    select a.user_id,
      coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.day >= p_from), 0) as new_business,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'outbound' and a.day >= p_from), 0) as outbound,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'meeting' and a.day >= p_from), 0) as meetings,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'proposal' and a.day >= p_from), 0) as proposals,
      coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.day < p_from), 0) as prev_new_business
    from crm.activity_daily_totals a
    where a.user_id = any (v_members) and a.day >= p_from - v_days and a.day <= p_to
      and a.type in ('sale', 'outbound', 'meeting', 'proposal')
    group by a.user_id
  ),
  target as (
    select t.user_id,
      round(sum(t.revenue_target * t.share), 2) as new_business,
      round(sum(t.outbound_target * t.share)) as outbound,
      round(sum(t.meetings_target * t.share)) as meetings,
      round(sum(t.proposals_target * t.share)) as proposals
    from (
      select tg.*,
             ((least(p_to, (tg.month + interval '1 month')::date - 1) - greatest(p_from, tg.month) + 1)::numeric
              / ((tg.month + interval '1 month')::date - tg.month)) as share
      from crm.targets tg
      where tg.user_id = any (v_members)
        and tg.month <= p_to and (tg.month + interval '1 month')::date > p_from) t
    group by t.user_id
  ),
  pipe as (
    -- from the deal totals (20261204000800): a few rows per rep, not every open deal
    select t.owner_id as user_id, sum(t.deals) as deals, sum(t.value) as value,
           round(sum(t.value * s.default_probability / 100.0), 2) as weighted
    from crm.deal_totals t join crm.deal_stages s on s.id = t.stage_id
    where t.owner_id = any (v_members) and t.status = 'active'
    group by t.owner_id
  ),
  engagement as materialized (
    -- the members' companies read once: each rep's mean here, the team's mean below from the same sums
    select c.owner_id as user_id, round(avg(c.engagement_score), 2) as mean_engagement, count(*) as companies,
           sum(c.engagement_score) as engagement_sum
    from crm.companies c where c.owner_id = any (v_members)
    group by c.owner_id
  ),
  forecast as (
    -- weighted value of open deals by expected close month (no date: "unscheduled")
    select d.owner_id as user_id, date_trunc('month', d.expected_close_date)::date as month,
           round(sum(d.value * s.default_probability / 100.0), 2) as weighted
    from crm.deals d join crm.deal_stages s on s.id = d.stage_id
    where d.owner_id = any (v_members) and d.status = 'active'
    group by 1, 2
  ),
  rows as (
    select m.id, m.full_name,
      coalesce(k.new_business, 0) as new_business, coalesce(tg.new_business, 0) as new_business_target,
      coalesce(k.outbound, 0) as outbound, coalesce(tg.outbound, 0) as outbound_target,
      coalesce(k.meetings, 0) as meetings, coalesce(tg.meetings, 0) as meetings_target,
      coalesce(k.proposals, 0) as proposals, coalesce(tg.proposals, 0) as proposals_target,
      crm.dashboard_trend(k.new_business, k.prev_new_business) as new_business_trend,
      coalesce(p.deals, 0) as deals, coalesce(p.value, 0) as pipeline, coalesce(p.weighted, 0) as weighted,
      coalesce(e.mean_engagement, 0) as mean_engagement, coalesce(e.companies, 0) as companies
    from members m
    left join kpi k on k.user_id = m.id
    left join target tg on tg.user_id = m.id
    left join pipe p on p.user_id = m.id
    left join engagement e on e.user_id = m.id
  )
  select jsonb_build_object(
    'manager_id', p_manager_id,
    'from', p_from,
    'to', p_to,
    'bucket', v_bucket,
    'reps', (select coalesce(jsonb_agg(to_jsonb(r) order by r.full_name, r.id), '[]'::jsonb) from rows r),
    'totals', (
      select jsonb_build_object(
        'reps', count(*),
        'new_business', coalesce(sum(r.new_business), 0), 'new_business_target', coalesce(sum(r.new_business_target), 0),
        'outbound', coalesce(sum(r.outbound), 0), 'outbound_target', coalesce(sum(r.outbound_target), 0),
        'meetings', coalesce(sum(r.meetings), 0), 'meetings_target', coalesce(sum(r.meetings_target), 0),
        'proposals', coalesce(sum(r.proposals), 0), 'proposals_target', coalesce(sum(r.proposals_target), 0),
        'deals', coalesce(sum(r.deals), 0), 'pipeline', coalesce(sum(r.pipeline), 0),
        'weighted', coalesce(sum(r.weighted), 0),
        -- the team's mean over all its companies, not a mean of the reps' means
        'mean_engagement', (select coalesce(round(sum(e.engagement_sum) / sum(e.companies), 2), 0)
                            from engagement e))
      from rows r),
    'forecast', (
      select coalesce(jsonb_agg(jsonb_build_object('user_id', f.user_id, 'month', f.month, 'weighted', f.weighted)
             order by f.month nulls last, f.user_id), '[]'::jsonb)
      from forecast f),
    'activity_series', (
      select coalesce(jsonb_agg(jsonb_build_object('bucket', x.bucket, 'type', x.type, 'count', x.n)
             order by x.bucket, x.type), '[]'::jsonb)
      from (
        select date_trunc(v_bucket, a.day::timestamp)::date as bucket, a.type, sum(a.activities) as n
        from crm.activity_daily_totals a
        where a.user_id = any (v_members) and a.day between p_from and p_to
        group by 1, 2) x)
  ) into result;
  return result;
end
$$;
comment on function crm.get_team_dashboard_data(uuid, date, date) is
  'A manager''s team for [from, to] as JSON: reps (KPIs vs targets, pipeline, weighted, mean engagement), totals, forecast (weighted by close month per rep), activity_series. SECURITY INVOKER; the manager themself or an admin, else 42501.';

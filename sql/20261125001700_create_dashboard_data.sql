-- Dashboards: crm.get_crm_dashboard_data (a rep's figures for a date range)
-- and crm.get_team_dashboard_data (a manager's per-rep rows plus totals).
--
-- Both are SECURITY INVOKER: row-level security applies on top of the
-- explicit checks below, so a function can never show more than the caller
-- could read table by table. Every figure comes from its own subquery over
-- one table (or one aggregate joined to a small lookup), never from a join of
-- two fact tables, so no count or sum is multiplied by another's rows.
--
-- Conventions (documented in the JSON comments below):
--   * dates are whole days in the session time zone; the range is
--     [from 00:00, to + 1 day 00:00);
--   * the previous period has the same length and ends the day before from;
--   * targets are monthly: the target for a range is each overlapping month's
--     target times the share of that month's days the range covers (a whole
--     month gives exactly its target);
--   * KPI actuals count activities that were not cancelled: new business = sum
--     of sale amounts, outbound / meetings / proposals = sum of quantity;
--   * trend % = round((current - previous) / previous * 100); when previous
--     is 0 it is 100 if current > 0, else 0;
--   * series are per day for ranges up to 62 days, else per week (Monday).

-- The dashboard reads a user's activities of two periods by (user, date); with
-- the figures' columns included the read is an index-only scan.
create index index_activities_on_user_id_date_covering on crm.activities (user_id, date)
  include (type, status, quantity, amount, company_id);

create or replace function crm.dashboard_check_range(p_from date, p_to date)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_from is null or p_to is null then
    raise exception 'the date range needs both a start and an end date'
      using errcode = 'invalid_parameter_value';
  end if;
  if p_from > p_to then
    raise exception 'the date range is reversed: the start (%) is after the end (%)', p_from, p_to
      using errcode = 'invalid_parameter_value';
  end if;
  if p_to - p_from > 1096 then
    raise exception 'the date range is too long: % days (at most 3 years)', p_to - p_from + 1
      using errcode = 'invalid_parameter_value';
  end if;
end
$$;
comment on function crm.dashboard_check_range(date, date) is
  'Raises invalid_parameter_value (22023) for a missing, reversed (from > to) or absurd (> 3 years) dashboard date range.';

create or replace function crm.dashboard_trend(p_current numeric, p_previous numeric)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case
    when coalesce(p_previous, 0) = 0 then case when coalesce(p_current, 0) > 0 then 100 else 0 end
    else round((coalesce(p_current, 0) - p_previous) / p_previous * 100)::integer
  end
$$;
comment on function crm.dashboard_trend(numeric, numeric) is
  'Trend in percent vs the previous period: round((cur - prev) / prev * 100); 100 or 0 when prev is 0.';

create or replace function crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_days integer;
  v_start timestamptz;
  v_end timestamptz;
  v_prev_start timestamptz;
  v_bucket text;
  v_now timestamptz := pg_catalog.now();
  result jsonb;
begin
  perform crm.dashboard_check_range(p_from, p_to);
  if p_user_id is null then
    raise exception 'the dashboard needs a user' using errcode = 'invalid_parameter_value';
  end if;
  -- self; a manager for the team's members; an admin for anyone; anyone else
  -- is refused (an error, never zeros)
  if not ((select app.is_admin()) or p_user_id = any ((select app.readable_user_ids())::uuid[])) then
    raise exception 'not allowed to read the dashboard of user %', p_user_id
      using errcode = 'insufficient_privilege';
  end if;

  v_days := p_to - p_from + 1;
  v_start := p_from::timestamptz;
  v_end := (p_to + 1)::timestamptz;
  v_prev_start := (p_from - v_days)::timestamptz;
  v_bucket := case when v_days <= 62 then 'day' else 'week' end;

  with acts as materialized (
    -- the user's activities over the previous period and the range: one
    -- index-only scan (index_activities_on_user_id_date_covering), read by
    -- every activity figure below
    select a.date, a.type, a.status, a.quantity, a.amount, a.company_id, a.date >= v_start as in_range
    from crm.activities a
    where a.user_id = p_user_id and a.date >= v_prev_start and a.date < v_end
  ),
  -- the user's companies, open deals and open tasks: each read once, then
  -- aggregated by each figure on its own (still one table per figure)
  my_companies as materialized (
    select c.id, c.engagement_score from crm.companies c where c.owner_id = p_user_id
  ),
  my_deals as materialized (
    select d.id, d.name, d.value, d.stage_id, d.company_id, d.deal_intelligence_score, d.win_probability_ai,
           d.expected_close_date
    from crm.deals d where d.owner_id = p_user_id and d.status = 'active'
  ),
  my_tasks as materialized (
    select t.id, t.title, t.due_date, t.priority from crm.tasks t
    where t.assigned_to = p_user_id and t.status in ('pending', 'in_progress')
  )
  select jsonb_build_object(
    'user_id', p_user_id,
    'from', p_from,
    'to', p_to,
    'days', v_days,
    'previous_from', p_from - v_days,
    'previous_to', p_from - 1,
    'bucket', v_bucket,
    'companies', (
      select jsonb_build_object(
        'total', count(*),
        'active', count(*) filter (where c.engagement_score > 50),
        'high_engagement', count(*) filter (where c.engagement_score > 80),
        'mean_engagement', coalesce(round(avg(c.engagement_score), 2), 0))
      from my_companies c),
    'deals', (
      select jsonb_build_object(
        'active', count(*),
        'value', coalesce(sum(d.value), 0),
        'mean_size', coalesce(round(avg(d.value), 2), 0),
        'high_probability', count(*) filter (where d.win_probability_ai > 0.7),
        'top_opportunities', count(*) filter (where d.deal_intelligence_score > 75))
      from my_deals d),
    'top_opportunities', (
      -- the ten best first, then their stage and company (ten lookups, not a join)
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'name', t.name, 'value', t.value,
               'stage', (select s.name from crm.deal_stages s where s.id = t.stage_id),
               'intelligence', t.deal_intelligence_score, 'win_probability', t.win_probability_ai,
               'expected_close_date', t.expected_close_date,
               'company', (select c.name from crm.companies c where c.id = t.company_id))
             order by t.deal_intelligence_score desc, t.value desc, t.id), '[]'::jsonb)
      from (
        select d.id, d.name, d.value, d.stage_id, d.company_id, d.deal_intelligence_score, d.win_probability_ai,
               d.expected_close_date
        from my_deals d
        where d.deal_intelligence_score > 75
        order by d.deal_intelligence_score desc, d.value desc, d.id
        limit 10) t),
    'largest_deals', (
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'name', t.name, 'value', t.value,
               'stage', (select s.name from crm.deal_stages s where s.id = t.stage_id),
               'expected_close_date', t.expected_close_date) order by t.value desc, t.id), '[]'::jsonb)
      from (select d.* from my_deals d order by d.value desc, d.id limit 10) t),
    'pipeline', (
      -- every open stage in board order, empty ones included; deals are
      -- aggregated per stage before the join to the stage list
      select coalesce(jsonb_agg(jsonb_build_object(
               'stage_id', s.id, 'stage', s.name, 'color', s.color, 'probability', s.default_probability,
               'count', coalesce(a.n, 0), 'value', coalesce(a.total, 0),
               'weighted', coalesce(round(a.total * s.default_probability / 100.0, 2), 0))
             order by s.position), '[]'::jsonb)
      from crm.deal_stages s
      left join (
        select d.stage_id, count(*) as n, sum(d.value) as total
        from my_deals d
        group by d.stage_id) a on a.stage_id = s.id
      where not s.is_won and not s.is_lost),
    'activities', (
      select jsonb_build_object(
        'total', coalesce(sum(t.n), 0),
        'by_type', coalesce(jsonb_object_agg(t.type, t.n) filter (where t.type is not null), '{}'::jsonb))
      from (
        select a.type, count(*) as n from acts a where a.in_range group by a.type) t),
    'kpis', (
      with actual as (
        select
          coalesce(sum(a.amount) filter (where a.type = 'sale' and a.in_range), 0) as new_business,
          coalesce(sum(a.quantity) filter (where a.type = 'outbound' and a.in_range), 0) as outbound,
          coalesce(sum(a.quantity) filter (where a.type = 'meeting' and a.in_range), 0) as meetings,
          coalesce(sum(a.quantity) filter (where a.type = 'proposal' and a.in_range), 0) as proposals,
          coalesce(sum(a.amount) filter (where a.type = 'sale' and not a.in_range), 0) as prev_new_business,
          coalesce(sum(a.quantity) filter (where a.type = 'outbound' and not a.in_range), 0) as prev_outbound,
          coalesce(sum(a.quantity) filter (where a.type = 'meeting' and not a.in_range), 0) as prev_meetings,
          coalesce(sum(a.quantity) filter (where a.type = 'proposal' and not a.in_range), 0) as prev_proposals
        from acts a
        where a.status <> 'cancelled' and a.type in ('sale', 'outbound', 'meeting', 'proposal')),
      target as (
        select
          coalesce(round(sum(t.revenue_target * t.share), 2), 0) as new_business,
          coalesce(round(sum(t.outbound_target * t.share)), 0) as outbound,
          coalesce(round(sum(t.meetings_target * t.share)), 0) as meetings,
          coalesce(round(sum(t.proposals_target * t.share)), 0) as proposals
        from (
          select tg.*,
                 ((least(p_to, (tg.month + interval '1 month')::date - 1) - greatest(p_from, tg.month) + 1)::numeric
                  / ((tg.month + interval '1 month')::date - tg.month)) as share
          from crm.targets tg
          where tg.user_id = p_user_id
            and tg.month <= p_to and (tg.month + interval '1 month')::date > p_from) t)
      select jsonb_build_object(
        'new_business', jsonb_build_object('actual', actual.new_business, 'target', target.new_business,
          'previous', actual.prev_new_business, 'trend', crm.dashboard_trend(actual.new_business, actual.prev_new_business)),
        'outbound', jsonb_build_object('actual', actual.outbound, 'target', target.outbound,
          'previous', actual.prev_outbound, 'trend', crm.dashboard_trend(actual.outbound, actual.prev_outbound)),
        'meetings', jsonb_build_object('actual', actual.meetings, 'target', target.meetings,
          'previous', actual.prev_meetings, 'trend', crm.dashboard_trend(actual.meetings, actual.prev_meetings)),
        'proposals', jsonb_build_object('actual', actual.proposals, 'target', target.proposals,
          'previous', actual.prev_proposals, 'trend', crm.dashboard_trend(actual.proposals, actual.prev_proposals)))
      from actual, target),
    'tasks', (
      select jsonb_build_object(
        'pending', count(*),
        'overdue', count(*) filter (where t.due_date < v_now),
        'high_priority', count(*) filter (where t.priority in ('high', 'urgent')))
      from my_tasks t),
    'tasks_due', (
      -- open tasks overdue or due by the end of the range, soonest first
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'title', t.title, 'due_date', t.due_date, 'priority', t.priority,
               'overdue', t.due_date < v_now) order by t.due_date, t.id), '[]'::jsonb)
      from (
        select t.id, t.title, t.due_date, t.priority from my_tasks t
        where t.due_date < greatest(v_end, v_now)
        order by t.due_date, t.id
        limit 10) t),
    'engagement_trend', (
      -- per bucket: the user's companies they touched (activities linked to
      -- one of their companies) and those companies' mean engagement score
      select coalesce(jsonb_agg(jsonb_build_object(
               'bucket', x.bucket, 'companies', x.companies, 'mean_engagement', x.mean_engagement)
             order by x.bucket), '[]'::jsonb)
      from (
        select b.bucket, count(*) as companies, round(avg(c.engagement_score), 2) as mean_engagement
        from (
          select distinct date_trunc(v_bucket, a.date)::date as bucket, a.company_id
          from acts a where a.in_range and a.company_id is not null) b
        join my_companies c on c.id = b.company_id
        group by b.bucket) x),
    'activity_series', (
      select coalesce(jsonb_agg(jsonb_build_object('bucket', x.bucket, 'type', x.type, 'count', x.n)
             order by x.bucket, x.type), '[]'::jsonb)
      from (
        select date_trunc(v_bucket, a.date)::date as bucket, a.type, count(*) as n
        from acts a where a.in_range
        group by 1, 2) x)
  ) into result;
  return result;
end
$$;
comment on function crm.get_crm_dashboard_data(uuid, date, date) is
  'A user''s dashboard figures for [from, to] as JSON (companies, deals, top_opportunities, pipeline, activities, kpis, tasks, tasks_due, engagement_trend, activity_series). SECURITY INVOKER; refuses (42501) anyone but the user, their manager or an admin; 22023 for a bad range.';

create or replace function crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_days integer;
  v_start timestamptz;
  v_end timestamptz;
  v_prev_start timestamptz;
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
  v_start := p_from::timestamptz;
  v_end := (p_to + 1)::timestamptz;
  v_prev_start := (p_from - v_days)::timestamptz;
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
    select a.user_id,
      coalesce(sum(a.amount) filter (where a.type = 'sale' and a.date >= v_start), 0) as new_business,
      coalesce(sum(a.quantity) filter (where a.type = 'outbound' and a.date >= v_start), 0) as outbound,
      coalesce(sum(a.quantity) filter (where a.type = 'meeting' and a.date >= v_start), 0) as meetings,
      coalesce(sum(a.quantity) filter (where a.type = 'proposal' and a.date >= v_start), 0) as proposals,
      coalesce(sum(a.amount) filter (where a.type = 'sale' and a.date < v_start), 0) as prev_new_business
    from crm.activities a
    where a.user_id = any (v_members) and a.date >= v_prev_start and a.date < v_end
      and a.status <> 'cancelled' and a.type in ('sale', 'outbound', 'meeting', 'proposal')
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
    select d.owner_id as user_id, count(*) as deals, sum(d.value) as value,
           round(sum(d.value * s.default_probability / 100.0), 2) as weighted
    from crm.deals d join crm.deal_stages s on s.id = d.stage_id
    where d.owner_id = any (v_members) and d.status = 'active'
    group by d.owner_id
  ),
  engagement as (
    select c.owner_id as user_id, round(avg(c.engagement_score), 2) as mean_engagement, count(*) as companies
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
        'mean_engagement', (select coalesce(round(avg(c.engagement_score), 2), 0)
                            from crm.companies c where c.owner_id = any (v_members)))
      from rows r),
    'forecast', (
      select coalesce(jsonb_agg(jsonb_build_object('user_id', f.user_id, 'month', f.month, 'weighted', f.weighted)
             order by f.month nulls last, f.user_id), '[]'::jsonb)
      from forecast f),
    'activity_series', (
      select coalesce(jsonb_agg(jsonb_build_object('bucket', x.bucket, 'type', x.type, 'count', x.n)
             order by x.bucket, x.type), '[]'::jsonb)
      from (
        select date_trunc(v_bucket, a.date)::date as bucket, a.type, count(*) as n
        from crm.activities a
        where a.user_id = any (v_members) and a.date >= v_start and a.date < v_end
        group by 1, 2) x)
  ) into result;
  return result;
end
$$;
comment on function crm.get_team_dashboard_data(uuid, date, date) is
  'A manager''s team for [from, to] as JSON: reps (KPIs vs targets, pipeline, weighted, mean engagement), totals, forecast (weighted by close month per rep), activity_series. SECURITY INVOKER; the manager themself or an admin, else 42501.';

revoke all on function crm.dashboard_check_range(date, date) from public;
revoke all on function crm.dashboard_trend(numeric, numeric) from public;
revoke all on function crm.get_crm_dashboard_data(uuid, date, date) from public;
revoke all on function crm.get_team_dashboard_data(uuid, date, date) from public;
grant execute on function crm.dashboard_check_range(date, date) to crm_app;
grant execute on function crm.dashboard_trend(numeric, numeric) to crm_app;
grant execute on function crm.get_crm_dashboard_data(uuid, date, date) to crm_app;
grant execute on function crm.get_team_dashboard_data(uuid, date, date) to crm_app;

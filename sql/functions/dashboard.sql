-- The dashboard figures (crm.get_crm_dashboard_data, crm.get_team_dashboard_data) and
-- their argument checks. Hot path (p95 target 5 ms): the JSON parts the two functions
-- have in common (activity_series) stay written out in each, where each reads its own
-- rows, rather than behind a helper the planner cannot see through.
-- Days are the reader's: [from 00:00, to + 1 day 00:00) in the acting user's time zone
-- (app.current_time_zone()). The daily totals count each user's activities on that user's days,
-- so they answer for users in the reader's zone; the activities of anyone else are counted per
-- day of the reader's zone from crm.activities (index_activities_on_user_id_date_type_covering).

create or replace function crm.dashboard_check_range(p_from date, p_to date) returns void
    language plpgsql immutable
    set search_path to ''
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
comment on function crm.dashboard_check_range(p_from date, p_to date) is 'Raises invalid_parameter_value (22023) for a missing, reversed (from > to) or absurd (> 3 years) dashboard date range.';
revoke all on function crm.dashboard_check_range(p_from date, p_to date) from public;
grant execute on function crm.dashboard_check_range(p_from date, p_to date) to crm_app;

create or replace function crm.dashboard_trend(p_current numeric, p_previous numeric) returns integer
    language sql immutable
    set search_path to ''
    as $$
  select case
    when coalesce(p_previous, 0) = 0 then case when coalesce(p_current, 0) > 0 then 100 else 0 end
    else round((coalesce(p_current, 0) - p_previous) / p_previous * 100)::integer
  end
$$;
comment on function crm.dashboard_trend(p_current numeric, p_previous numeric) is 'Trend in percent vs the previous period: round((cur - prev) / prev * 100); 100 or 0 when prev is 0.';
revoke all on function crm.dashboard_trend(p_current numeric, p_previous numeric) from public;
grant execute on function crm.dashboard_trend(p_current numeric, p_previous numeric) to crm_app;

create or replace function crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) returns jsonb
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_generic_plan'
    as $$
declare
  v_days integer;
  v_end timestamptz;
  v_bucket text;
  v_now timestamptz := pg_catalog.now();
  -- the days are the reader's: their time zone (app.current_time_zone, UTC when unset)
  v_zone text := app.current_time_zone();
  v_own_days boolean;
  v_first timestamptz;
  v_after timestamptz;
  v_today_due timestamptz;
  -- whose figures: the user's own; a manager's are their team's (themself and the people they manage),
  -- an admin's the organisation's (everyone)
  v_users uuid[];
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

  select case u.role
           when 'admin' then (select array_agg(x.id) from crm.users x)
           when 'manager' then (select array_agg(x.id) from crm.users x
                                where x.id = u.id
                                   or (x.is_active and (x.manager_id = u.id
                                       or x.team_id in (select t.id from crm.teams t where t.manager_id = u.id))))
           else array[u.id] end
    into v_users
  from crm.users u where u.id = p_user_id;
  v_users := coalesce(v_users, array[p_user_id]);

  v_days := p_to - p_from + 1;
  -- due days are calendar days stored at 00:00 UTC: due by the end of the range is before this
  v_end := (p_to + 1)::timestamp at time zone 'UTC';
  v_bucket := case when v_days <= 62 then 'day' else 'week' end;
  -- the daily totals count the user's activities on the user's days: they answer when the reader's
  -- zone is the user's; otherwise the activities of [previous period start, range end) in the
  -- reader's zone are counted themselves (a local midnight in a gap is the end of the gap)
  v_own_days := not exists (select from crm.users u where u.id = any (v_users) and coalesce(u.time_zone, 'UTC') <> v_zone);
  v_first := (p_from - v_days)::timestamp at time zone v_zone;
  v_after := (p_to + 1)::timestamp at time zone v_zone;
  -- a due day before the reader's today is overdue
  v_today_due := ((v_now at time zone v_zone)::date)::timestamp at time zone 'UTC';

  with totals as materialized (
    -- the user's daily totals per type over the previous period and the
    -- range (at most 2 x 1097 days x 7 types rows): read by every activity
    -- figure below but the engagement trend
    select t.day, t.type, t.completed, t.counted_quantity, t.counted_amount, t.day >= p_from as in_range
    from crm.activity_daily_totals t
    where v_own_days and t.user_id = any (v_users) and t.day >= p_from - v_days and t.day <= p_to
    union all
    -- the same sums from the activities, per day of the reader's zone (index_activities_on_user_id_date_type_covering)
    select d.day, d.type, d.completed, d.counted_quantity, d.counted_amount, d.day >= p_from
    from (
      select (a.date at time zone v_zone)::date as day, a.type, count(*) filter (where a.status = 'completed') as completed,
             coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0) as counted_quantity,
             coalesce(sum(a.amount) filter (where a.status = 'completed'), 0) as counted_amount
      from crm.activities a
      where not v_own_days and a.user_id = any (v_users) and a.date >= v_first and a.date < v_after
      group by 1, 2) d
  ),
  -- the user's companies, read once (an index-only scan of a covering
  -- index, index_companies_on_owner_id_engagement_covering) for the companies figures and the
  -- engagement trend
  my_companies as materialized (
    select c.id, c.engagement_score, (c.engagement_score * 100)::integer as score_cents
    from crm.companies c where c.owner_id = any (v_users)
  ),
  -- the user's activity totals per type, in the range and in the previous
  -- period (at most 14 rows), for the activity counts and the KPI actuals
  by_type as materialized (
    select a.type, a.in_range, sum(a.completed) as completed,
           sum(a.counted_quantity) as counted_quantity, sum(a.counted_amount) as counted_amount
    from totals a group by a.type, a.in_range
  ),
  -- the pipeline's stages, read once for the pipeline and the two deal lists
  stages as materialized (
    select s.id, s.name, s.color, s.position, s.default_probability, s.is_won, s.is_lost from crm.deal_stages s
  ),
  -- the user's open deals summed per stage (a few rows, kept by triggers:
  -- crm.deal_totals), for the deal figures and the pipeline
  deal_totals as materialized (
    select t.stage_id, t.deals, t.value, t.high_probability, t.top_opportunities
    from crm.deal_totals t where t.owner_id = any (v_users) and t.status = 'active'
  )
  select jsonb_build_object(
    'user_id', p_user_id,
    'people', cardinality(v_users),
    'from', p_from,
    'to', p_to,
    'days', v_days,
    'previous_from', p_from - v_days,
    'previous_to', p_from - 1,
    'bucket', v_bucket,
    'companies', (
      select jsonb_build_object(
        'total', count(*),
        'active', count(*) filter (where c.engagement_score > crm.threshold('medium_score')),
        'high_engagement', count(*) filter (where c.engagement_score > crm.threshold('high_score')),
        'mean_engagement', coalesce(round(avg(c.engagement_score), 2), 0))
      from my_companies c),
    'deals', (
      select jsonb_build_object(
        'active', coalesce(sum(d.deals), 0),
        'value', coalesce(sum(d.value), 0),
        'mean_size', coalesce(round(sum(d.value) / sum(d.deals), 2), 0),
        'high_probability', coalesce(sum(d.high_probability), 0),
        'top_opportunities', coalesce(sum(d.top_opportunities), 0))
      from deal_totals d),
    'top_opportunities', (
      -- the ten best: each person's first ten entries of index_deals_on_owner_id_open_by_intelligence
      -- (one ordered index probe per person, never a sort of all their deals), then the best ten of
      -- those; their company's name looked up for each
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'name', t.name, 'value', t.value, 'stage', s.name,
               'intelligence', t.deal_intelligence_score, 'win_probability', t.win_probability_ai,
               'expected_close_date', t.expected_close_date, 'company_id', t.company_id,
               'company', (select c.name from crm.companies c where c.id = t.company_id))
             order by t.deal_intelligence_score desc, t.value desc, t.id), '[]'::jsonb)
      from (
        select d.id, d.name, d.value, d.stage_id, d.deal_intelligence_score, d.win_probability_ai,
               d.expected_close_date, d.company_id
        from unnest(v_users) as person(id)
        cross join lateral (
          select d.* from crm.deals d
          where d.owner_id = person.id and d.status = 'active'
            and d.deal_intelligence_score > crm.threshold('top_opportunity_score')
          order by d.deal_intelligence_score desc, d.value desc, d.id
          limit 10) d
        order by d.deal_intelligence_score desc, d.value desc, d.id
        limit 10) t
      join stages s on s.id = t.stage_id),
    'largest_deals', (
      -- each person's first ten entries of index_deals_on_owner_id_open_by_value, then the ten largest
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'name', t.name, 'value', t.value, 'stage', s.name,
               'expected_close_date', t.expected_close_date) order by t.value desc, t.id), '[]'::jsonb)
      from (select d.id, d.name, d.value, d.stage_id, d.expected_close_date
            from unnest(v_users) as person(id)
            cross join lateral (
              select d.* from crm.deals d where d.owner_id = person.id and d.status = 'active'
              order by d.value desc, d.id limit 10) d
            order by d.value desc, d.id limit 10) t
      join stages s on s.id = t.stage_id),
    'pipeline', (
      -- every open stage in board order, empty ones included
      select coalesce(jsonb_agg(jsonb_build_object(
               'stage_id', s.id, 'stage', s.name, 'color', s.color, 'probability', s.default_probability,
               'count', coalesce(a.n, 0), 'value', coalesce(a.total, 0),
               'weighted', coalesce(round(a.total * s.default_probability / 100.0, 2), 0))
             order by s.position), '[]'::jsonb)
      from stages s
      left join (select d.stage_id, d.deals as n, d.value as total from deal_totals d) a on a.stage_id = s.id
      where not s.is_won and not s.is_lost),
    'activities', (
      select jsonb_build_object(
        'total', coalesce(sum(t.n), 0),
        'by_type', coalesce(jsonb_object_agg(t.type, t.n) filter (where t.type is not null), '{}'::jsonb))
      -- done: completed activities only (a planned call is not one yet)
      from (select a.type, a.completed as n from by_type a where a.in_range and a.completed > 0) t),
    'kpis', (
      with actual as (
        select
          -- counted_* sum completed activities only
          coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.in_range), 0) as new_business,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'outbound' and a.in_range), 0) as outbound,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'meeting' and a.in_range), 0) as meetings,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'proposal' and a.in_range), 0) as proposals,
          coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and not a.in_range), 0) as prev_new_business,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'outbound' and not a.in_range), 0) as prev_outbound,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'meeting' and not a.in_range), 0) as prev_meetings,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'proposal' and not a.in_range), 0) as prev_proposals
        from by_type a),
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
          where tg.user_id = any (v_users)
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
      -- open and high-priority from the totals; overdue depends on the clock: counted from the open
      -- tasks' (assignee, due date) index, overdue ones only
      select jsonb_build_object(
        'pending', coalesce(sum(t.tasks), 0),
        'overdue', (select count(*) from crm.tasks o
                    where o.assigned_to = any (v_users) and o.status in ('pending', 'in_progress') and o.due_date < v_today_due),
        'high_priority', coalesce(sum(t.high_priority), 0))
      from crm.task_totals t where t.assigned_to = any (v_users) and t.status in ('pending', 'in_progress')),
    'tasks_due', (
      -- open tasks overdue, due today (the reader's) or due by the end of the range, soonest first
      -- (each person's first entries of index_tasks_on_assigned_to_open_covering, then the soonest ten)
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'title', t.title, 'due_date', t.due_date, 'priority', t.priority,
               'overdue', t.due_date < v_today_due) order by t.due_date, t.id), '[]'::jsonb)
      from (
        select t.id, t.title, t.due_date, t.priority
        from unnest(v_users) as person(id)
        cross join lateral (
          select t.* from crm.tasks t
          where t.assigned_to = person.id and t.status in ('pending', 'in_progress')
            and t.due_date < greatest(v_end, v_today_due + interval '1 day')
          order by t.due_date, t.id
          limit 10) t
        order by t.due_date, t.id
        limit 10) t),
    'engagement_trend', (
      -- per bucket: the user's companies they touched (activities linked to
      -- one of their companies) and those companies' mean engagement score
      select coalesce(jsonb_agg(jsonb_build_object(
               'bucket', x.bucket, 'companies', x.companies, 'mean_engagement', x.mean_engagement)
             order by x.bucket), '[]'::jsonb)
      from (
        -- the mean from whole cents (each company's score converted once, not once a day): the same
        -- exact mean as avg() of the numeric scores
        select b.bucket, count(*) as companies, round(sum(c.score_cents)::numeric / (count(*) * 100), 2) as mean_engagement
        from (
          -- (day, company) is the table's key: daily buckets need no distinct
          select a.day as bucket, a.company_id
          from crm.activity_daily_companies a
          where v_own_days and v_bucket = 'day' and a.user_id = any (v_users) and a.day between p_from and p_to
          union all
          select distinct date_trunc('week', a.day::timestamp)::date, a.company_id
          from crm.activity_daily_companies a
          where v_own_days and v_bucket = 'week' and a.user_id = any (v_users) and a.day between p_from and p_to
          union all
          -- another zone's days: from the activities of the range
          select distinct date_trunc(v_bucket, a.date at time zone v_zone)::date, a.company_id
          from crm.activities a
          where not v_own_days and a.user_id = any (v_users) and a.company_id is not null
            and a.date >= (p_from::timestamp at time zone v_zone) and a.date < v_after) b
        join my_companies c on c.id = b.company_id
        group by b.bucket) x),
    'activity_series', (
      select coalesce(jsonb_agg(jsonb_build_object('bucket', x.bucket, 'type', x.type, 'count', x.n)
             order by x.bucket, x.type), '[]'::jsonb)
      from (
        select date_trunc(v_bucket, a.day::timestamp)::date as bucket, a.type, sum(a.completed) as n
        from totals a where a.in_range
        group by 1, 2 having sum(a.completed) > 0) x)
  ) into result;
  return result;
end
$$;
comment on function crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) is 'A user''s dashboard figures (a rep''s own, a manager''s team''s with themself, an admin''s the organisation''s; people: how many users they sum) for [from, to] (days of the reader''s time zone) as JSON (companies, deals, top_opportunities, pipeline, activities, kpis, tasks, tasks_due, engagement_trend, activity_series). SECURITY INVOKER; refuses (42501) anyone but the user, their manager or an admin; 22023 for a bad range.';
revoke all on function crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) from public;
grant execute on function crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) to crm_app;

create or replace function crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) returns jsonb
    language plpgsql stable
    set search_path to ''
    set plan_cache_mode to 'force_generic_plan'
    as $$
declare
  v_days integer;
  v_bucket text;
  v_members uuid[];
  -- the days are the reader's (app.current_time_zone): members in that zone are read from the daily
  -- totals (kept on each user's days), the others' activities are counted per day of the reader's zone
  v_zone text := app.current_time_zone();
  v_same_zone uuid[];
  v_other_zone uuid[];
  v_first timestamptz;
  v_after timestamptz;
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
  select coalesce(array_agg(u.id), '{}'),
         coalesce(array_agg(u.id) filter (where coalesce(u.time_zone, 'UTC') = v_zone), '{}'),
         coalesce(array_agg(u.id) filter (where coalesce(u.time_zone, 'UTC') <> v_zone), '{}')
    into v_members, v_same_zone, v_other_zone
  from crm.users u
  where u.id <> p_manager_id and u.is_active
    and (u.manager_id = p_manager_id
         or u.team_id in (select t.id from crm.teams t where t.manager_id = p_manager_id));
  v_first := (p_from - v_days)::timestamp at time zone v_zone;
  v_after := (p_to + 1)::timestamp at time zone v_zone;

  with members as (
    select u.id, u.full_name from crm.users u where u.id = any (v_members)
  ),
  days as materialized (
    -- per member, day (the reader's) and type over the previous period and the range: completed
    -- activities and their counted sums, from the daily totals or (another zone) the activities
    select a.user_id, a.day, a.type, a.completed, a.counted_quantity, a.counted_amount
    from crm.activity_daily_totals a
    where a.user_id = any (v_same_zone) and a.day >= p_from - v_days and a.day <= p_to
    union all
    select a.user_id, (a.date at time zone v_zone)::date, a.type, count(*) filter (where a.status = 'completed'),
           coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0),
           coalesce(sum(a.amount) filter (where a.status = 'completed'), 0)
    from crm.activities a
    where a.user_id = any (v_other_zone) and a.date >= v_first and a.date < v_after
    group by 1, 2, 3
  ),
  kpi as (
    -- counted_* sum completed activities only
    select a.user_id,
      coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.day >= p_from), 0) as new_business,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'outbound' and a.day >= p_from), 0) as outbound,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'meeting' and a.day >= p_from), 0) as meetings,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'proposal' and a.day >= p_from), 0) as proposals,
      coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.day < p_from), 0) as prev_new_business
    from days a
    where a.type in ('sale', 'outbound', 'meeting', 'proposal')
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
    -- from crm.deal_totals: a few rows per rep, not every open deal
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
        select date_trunc(v_bucket, a.day::timestamp)::date as bucket, a.type, sum(a.completed) as n
        from days a
        where a.day between p_from and p_to
        group by 1, 2 having sum(a.completed) > 0) x)
  ) into result;
  return result;
end
$$;
comment on function crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) is 'A manager''s team for [from, to] (days of the reader''s time zone) as JSON: reps (KPIs vs targets, pipeline, weighted, mean engagement), totals, forecast (weighted by close month per rep), activity_series. SECURITY INVOKER; the manager themself or an admin, else 42501.';
revoke all on function crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) from public;
grant execute on function crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) to crm_app;

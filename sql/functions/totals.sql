-- The running totals (activity_daily_*, deal_totals, task_totals): the triggers
-- that keep them as rows change and the rebuilds for loads made with triggers off.
-- The daily totals count each user's activities per day of that user's time zone
-- (crm.users.time_zone, UTC when unset; sql/functions/time_zones.sql re-buckets a user
-- whose zone changes).

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

-- The totals tables are kept by adding each change as a signed delta: +1 for a
-- row that arrives, -1 for one that leaves. The triggers below run on INSERT and
-- DELETE per statement (transition tables new_rows / old_rows) and on UPDATE per
-- row (the new row passed as $1, the old one as $2).
create or replace function app.totals_delta_query(trigger_level text, trigger_op text) returns text
    language sql immutable parallel safe
    set search_path to ''
    as $$
  select case
    when trigger_level = 'STATEMENT' and trigger_op = 'INSERT' then 'select n.*, 1 as sign from new_rows n'
    when trigger_level = 'STATEMENT' and trigger_op = 'DELETE' then 'select o.*, -1 as sign from old_rows o'
    else 'select ($1).*, 1 as sign union all select ($2).*, -1' end
$$;
comment on function app.totals_delta_query(trigger_level text, trigger_op text) is 'The query (text) that gives a totals trigger its changed rows, each with its sign (+1 arriving, -1 leaving).';
revoke all on function app.totals_delta_query(trigger_level text, trigger_op text) from public;
grant execute on function app.totals_delta_query(trigger_level text, trigger_op text) to crm_helper;

create or replace function app.activities_maintain_daily_totals() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $_$
declare
  source text := app.totals_delta_query(tg_level, tg_op);
begin
  -- the users' zones say the days: hold each user's zone lock (shared: writers do not wait for each
  -- other) until this transaction ends, so a zone change (app.users_rebucket_activity_totals, exclusive)
  -- waits for these activities and recounts them, or these wait for it and count on the new days
  execute format('select pg_catalog.pg_advisory_xact_lock_shared(app.time_zone_lock_class(), pg_catalog.hashtext(u.user_id::text))'
                 ' from (select distinct d.user_id from (%s) d order by 1) u', source) using new, old;
  execute format($q$
    with delta as (%s),
    sums as (
      -- a day of the activity's user's time zone (crm.users.time_zone, UTC when unset)
      select d.user_id, (d.date at time zone coalesce(u.time_zone, 'UTC'))::date as day, d.type,
             sum(d.sign)::integer as activities,
             coalesce(sum(d.sign) filter (where d.status = 'completed'), 0)::integer as completed,
             coalesce(sum(d.sign * d.quantity) filter (where d.status = 'completed'), 0) as counted_quantity,
             coalesce(sum(d.sign * d.amount) filter (where d.status = 'completed'), 0) as counted_amount
      from delta d left join crm.users u on u.id = d.user_id group by 1, 2, 3),
    emptied as (
      delete from crm.activity_daily_totals t using sums s
      where (t.user_id, t.day, t.type) = (s.user_id, s.day, s.type) and t.activities + s.activities = 0
      returning t.user_id, t.day, t.type),
    changed as (
      update crm.activity_daily_totals t
      set activities = t.activities + s.activities,
          completed = t.completed + s.completed,
          counted_quantity = t.counted_quantity + s.counted_quantity,
          counted_amount = t.counted_amount + s.counted_amount
      from sums s
      where (t.user_id, t.day, t.type) = (s.user_id, s.day, s.type) and t.activities + s.activities <> 0
      returning t.user_id, t.day, t.type)
    insert into crm.activity_daily_totals as t (user_id, day, type, activities, completed, counted_quantity, counted_amount)
    select s.* from sums s
    where s.activities > 0
      and not exists (select from emptied e where (e.user_id, e.day, e.type) = (s.user_id, s.day, s.type))
      and not exists (select from changed c where (c.user_id, c.day, c.type) = (s.user_id, s.day, s.type))
    on conflict (user_id, day, type) do update
      set activities = t.activities + excluded.activities,
          completed = t.completed + excluded.completed,
          counted_quantity = t.counted_quantity + excluded.counted_quantity,
          counted_amount = t.counted_amount + excluded.counted_amount
  $q$, source) using new, old;
  execute format($q$
    with delta as (%s),
    sums as (
      select d.user_id, (d.date at time zone coalesce(u.time_zone, 'UTC'))::date as day, d.company_id,
             sum(d.sign)::integer as activities
      from delta d left join crm.users u on u.id = d.user_id where d.company_id is not null
      group by 1, 2, 3 having sum(d.sign) <> 0),
    emptied as (
      delete from crm.activity_daily_companies t using sums s
      where (t.user_id, t.day, t.company_id) = (s.user_id, s.day, s.company_id) and t.activities + s.activities = 0
      returning t.user_id, t.day, t.company_id),
    changed as (
      update crm.activity_daily_companies t set activities = t.activities + s.activities
      from sums s
      where (t.user_id, t.day, t.company_id) = (s.user_id, s.day, s.company_id) and t.activities + s.activities <> 0
      returning t.user_id, t.day, t.company_id)
    insert into crm.activity_daily_companies as t (user_id, day, company_id, activities)
    select s.* from sums s
    where s.activities > 0
      and not exists (select from emptied e where (e.user_id, e.day, e.company_id) = (s.user_id, s.day, s.company_id))
      and not exists (select from changed c where (c.user_id, c.day, c.company_id) = (s.user_id, s.day, s.company_id))
    on conflict (user_id, day, company_id) do update set activities = t.activities + excluded.activities
  $q$, source) using new, old;
  return null;
end
$_$;
alter function app.activities_maintain_daily_totals() owner to crm_helper;
comment on function app.activities_maintain_daily_totals() is 'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on activities: keeps the daily totals.';
revoke all on function app.activities_maintain_daily_totals() from public;

create or replace function app.deals_maintain_totals() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $_$
declare
  source text := app.totals_delta_query(tg_level, tg_op);
begin
  execute format($q$
    with delta as (%s),
    sums as (
      select d.owner_id, d.stage_id, d.status, sum(d.sign)::integer as deals, sum(d.sign * d.value) as value,
             coalesce(sum(d.sign) filter (where d.win_probability_ai > crm.threshold('high_win_probability')), 0)::integer as high_probability,
             coalesce(sum(d.sign) filter (where d.deal_intelligence_score > crm.threshold('top_opportunity_score')), 0)::integer as top_opportunities
      from delta d
      group by 1, 2, 3
      -- a deal edited without changing what is summed (its name, a date) adds nothing
      having (sum(d.sign), sum(d.sign * d.value), coalesce(sum(d.sign) filter (where d.win_probability_ai > crm.threshold('high_win_probability')), 0),
              coalesce(sum(d.sign) filter (where d.deal_intelligence_score > crm.threshold('top_opportunity_score')), 0)) <> (0, 0, 0, 0)),
    emptied as (
      delete from crm.deal_totals t using sums s
      where (t.owner_id, t.stage_id, t.status) = (s.owner_id, s.stage_id, s.status) and t.deals + s.deals = 0
      returning t.owner_id, t.stage_id, t.status),
    changed as (
      update crm.deal_totals t
      set deals = t.deals + s.deals, value = t.value + s.value,
          high_probability = t.high_probability + s.high_probability,
          top_opportunities = t.top_opportunities + s.top_opportunities
      from sums s
      where (t.owner_id, t.stage_id, t.status) = (s.owner_id, s.stage_id, s.status) and t.deals + s.deals <> 0
      returning t.owner_id, t.stage_id, t.status)
    insert into crm.deal_totals as t (owner_id, stage_id, status, deals, value, high_probability, top_opportunities)
    select s.* from sums s
    where s.deals > 0
      and not exists (select from emptied e where (e.owner_id, e.stage_id, e.status) = (s.owner_id, s.stage_id, s.status))
      and not exists (select from changed c where (c.owner_id, c.stage_id, c.status) = (s.owner_id, s.stage_id, s.status))
    on conflict (owner_id, stage_id, status) do update
      set deals = t.deals + excluded.deals, value = t.value + excluded.value,
          high_probability = t.high_probability + excluded.high_probability,
          top_opportunities = t.top_opportunities + excluded.top_opportunities
  $q$, source) using new, old;
  return null;
end
$_$;
alter function app.deals_maintain_totals() owner to crm_helper;
comment on function app.deals_maintain_totals() is 'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on deals: keeps crm.deal_totals.';
revoke all on function app.deals_maintain_totals() from public;

create or replace function app.rebuild_activity_daily_totals() returns void
    language sql security definer
    set search_path to ''
    as $$
  delete from crm.activity_daily_totals;
  delete from crm.activity_daily_companies;
  insert into crm.activity_daily_totals (user_id, day, type, activities, completed, counted_quantity, counted_amount)
  select a.user_id, (a.date at time zone coalesce(u.time_zone, 'UTC'))::date, a.type, count(*),
         count(*) filter (where a.status = 'completed'),
         coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0),
         coalesce(sum(a.amount) filter (where a.status = 'completed'), 0)
  from crm.activities a left join crm.users u on u.id = a.user_id group by 1, 2, 3;
  insert into crm.activity_daily_companies (user_id, day, company_id, activities)
  select a.user_id, (a.date at time zone coalesce(u.time_zone, 'UTC'))::date, a.company_id, count(*)
  from crm.activities a left join crm.users u on u.id = a.user_id where a.company_id is not null group by 1, 2, 3;
$$;
alter function app.rebuild_activity_daily_totals() owner to crm_helper;
comment on function app.rebuild_activity_daily_totals() is 'Recomputes crm.activity_daily_totals and crm.activity_daily_companies (days of each user''s time zone) from crm.activities (for loads with triggers off; owner only).';
revoke all on function app.rebuild_activity_daily_totals() from public;
grant execute on function app.rebuild_activity_daily_totals() to crm_owner;

create or replace function app.rebuild_deal_and_task_totals() returns void
    language sql security definer
    set search_path to ''
    as $$
  delete from crm.deal_totals;
  delete from crm.task_totals;
  insert into crm.deal_totals (owner_id, stage_id, status, deals, value, high_probability, top_opportunities)
  select d.owner_id, d.stage_id, d.status, count(*), sum(d.value),
         count(*) filter (where d.win_probability_ai > crm.threshold('high_win_probability')), count(*) filter (where d.deal_intelligence_score > crm.threshold('top_opportunity_score'))
  from crm.deals d group by 1, 2, 3;
  insert into crm.task_totals (assigned_to, status, tasks, high_priority)
  select t.assigned_to, t.status, count(*), count(*) filter (where t.priority in ('high', 'urgent'))
  from crm.tasks t group by 1, 2;
$$;
alter function app.rebuild_deal_and_task_totals() owner to crm_helper;
comment on function app.rebuild_deal_and_task_totals() is 'Recomputes crm.deal_totals and crm.task_totals from crm.deals and crm.tasks (for loads and rescoring with triggers off; owner only).';
revoke all on function app.rebuild_deal_and_task_totals() from public;
grant execute on function app.rebuild_deal_and_task_totals() to crm_owner;

create or replace function app.tasks_maintain_totals() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $_$
declare
  source text := app.totals_delta_query(tg_level, tg_op);
begin
  execute format($q$
    with delta as (%s),
    sums as (
      select d.assigned_to, d.status, sum(d.sign)::integer as tasks,
             coalesce(sum(d.sign) filter (where d.priority in ('high', 'urgent')), 0)::integer as high_priority
      from delta d
      group by 1, 2
      having (sum(d.sign), coalesce(sum(d.sign) filter (where d.priority in ('high', 'urgent')), 0)) <> (0, 0)),
    emptied as (
      delete from crm.task_totals t using sums s
      where (t.assigned_to, t.status) = (s.assigned_to, s.status) and t.tasks + s.tasks = 0
      returning t.assigned_to, t.status),
    changed as (
      update crm.task_totals t
      set tasks = t.tasks + s.tasks, high_priority = t.high_priority + s.high_priority
      from sums s
      where (t.assigned_to, t.status) = (s.assigned_to, s.status) and t.tasks + s.tasks <> 0
      returning t.assigned_to, t.status)
    insert into crm.task_totals as t (assigned_to, status, tasks, high_priority)
    select s.* from sums s
    where s.tasks > 0
      and not exists (select from emptied e where (e.assigned_to, e.status) = (s.assigned_to, s.status))
      and not exists (select from changed c where (c.assigned_to, c.status) = (s.assigned_to, s.status))
    on conflict (assigned_to, status) do update
      set tasks = t.tasks + excluded.tasks, high_priority = t.high_priority + excluded.high_priority
  $q$, source) using new, old;
  return null;
end
$_$;
alter function app.tasks_maintain_totals() owner to crm_helper;
comment on function app.tasks_maintain_totals() is 'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on tasks: keeps crm.task_totals.';
revoke all on function app.tasks_maintain_totals() from public;

revoke create on schema app from crm_helper;

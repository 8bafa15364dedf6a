-- Daily activity totals for the dashboards.
--
-- A busy rep logs ~5,000 activities a month; reading them one by one made
-- crm.get_crm_dashboard_data cost 20-60 ms at the large scale. Every activity
-- figure of the dashboards is a sum over (user, day, type) or a distinct
-- (user, day, company), so two small tables kept by triggers in the same
-- transaction as the write hold exactly those sums:
--
--   crm.activity_daily_totals     (user, day, type): activities of any status,
--                                 and quantity / amount of those not cancelled
--                                 (the KPI actuals);
--   crm.activity_daily_companies  (user, day, company): activities linked to a
--                                 company (the engagement trend).
--
-- A day is the activity's date in UTC (the app's sessions run in UTC).
-- Inserts and deletes are summed per statement (transition tables), so a bulk
-- import pays once per statement; an update moves a row's share only when a
-- column the totals read has changed (a row trigger with a WHEN clause, so
-- rescoring sentiment on millions of activities costs nothing here). Rows
-- that reach zero activities are deleted. Loads that switch triggers off
-- (the demo loader) call app.rebuild_activity_daily_totals() afterwards.

create table crm.activity_daily_totals (
  user_id uuid not null,
  day date not null,
  type text not null,
  activities integer not null,
  counted_quantity bigint not null,
  counted_amount numeric(16,2) not null,
  constraint pk_activity_daily_totals primary key (user_id, day, type),
  constraint check_activity_daily_totals_activities_positive check (activities > 0),
  constraint check_activity_daily_totals_quantity_non_negative check (counted_quantity >= 0),
  constraint check_activity_daily_totals_amount_non_negative check (counted_amount >= 0),
  constraint fk_activity_daily_totals_user_id_users foreign key (user_id)
    references crm.users (id) on delete cascade
);
comment on table crm.activity_daily_totals is 'Per user, UTC day and activity type: activities of any status; sum(quantity) and sum(amount) of those not cancelled. Kept by triggers on crm.activities.';

create table crm.activity_daily_companies (
  user_id uuid not null,
  day date not null,
  company_id uuid not null,
  activities integer not null,
  constraint pk_activity_daily_companies primary key (user_id, day, company_id),
  constraint check_activity_daily_companies_activities_positive check (activities > 0),
  constraint fk_activity_daily_companies_user_id_users foreign key (user_id)
    references crm.users (id) on delete cascade
);
-- no foreign key to companies: deleting a company sets its activities'
-- company_id to null, and that update takes the company's rows away here
comment on table crm.activity_daily_companies is 'Per user, UTC day and company: activities linked to the company (any status). Kept by triggers on crm.activities.';

-- One function for the three triggers: the changed rows as a query with a
-- sign (+1 new, -1 old) over the transition tables (insert, delete) or the
-- row's old and new records (update), summed per key, then one statement per
-- table: keys whose activities reach zero are deleted, other existing keys
-- updated, new keys inserted (a CHECK is tested before ON CONFLICT, so a
-- negative delta must never go through the insert; the ON CONFLICT is for a
-- concurrent transaction inserting the same new key).
create or replace function app.activities_maintain_daily_totals()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  source text := case
    when tg_level = 'STATEMENT' and tg_op = 'INSERT' then 'select n.*, 1 as sign from new_rows n'
    when tg_level = 'STATEMENT' and tg_op = 'DELETE' then 'select o.*, -1 as sign from old_rows o'
    else 'select ($1).*, 1 as sign union all select ($2).*, -1' end;
begin
  execute format($q$
    with delta as (%s),
    sums as (
      select d.user_id, (d.date at time zone 'UTC')::date as day, d.type,
             sum(d.sign)::integer as activities,
             coalesce(sum(d.sign * d.quantity) filter (where d.status <> 'cancelled'), 0) as counted_quantity,
             coalesce(sum(d.sign * d.amount) filter (where d.status <> 'cancelled'), 0) as counted_amount
      from delta d group by 1, 2, 3),
    emptied as (
      delete from crm.activity_daily_totals t using sums s
      where (t.user_id, t.day, t.type) = (s.user_id, s.day, s.type) and t.activities + s.activities = 0
      returning t.user_id, t.day, t.type),
    changed as (
      update crm.activity_daily_totals t
      set activities = t.activities + s.activities,
          counted_quantity = t.counted_quantity + s.counted_quantity,
          counted_amount = t.counted_amount + s.counted_amount
      from sums s
      where (t.user_id, t.day, t.type) = (s.user_id, s.day, s.type) and t.activities + s.activities <> 0
      returning t.user_id, t.day, t.type)
    insert into crm.activity_daily_totals as t (user_id, day, type, activities, counted_quantity, counted_amount)
    select s.* from sums s
    where s.activities > 0
      and not exists (select from emptied e where (e.user_id, e.day, e.type) = (s.user_id, s.day, s.type))
      and not exists (select from changed c where (c.user_id, c.day, c.type) = (s.user_id, s.day, s.type))
    on conflict (user_id, day, type) do update
      set activities = t.activities + excluded.activities,
          counted_quantity = t.counted_quantity + excluded.counted_quantity,
          counted_amount = t.counted_amount + excluded.counted_amount
  $q$, source) using new, old;
  execute format($q$
    with delta as (%s),
    sums as (
      select d.user_id, (d.date at time zone 'UTC')::date as day, d.company_id, sum(d.sign)::integer as activities
      from delta d where d.company_id is not null
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
$$;
comment on function app.activities_maintain_daily_totals() is
  'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on activities: keeps the daily totals.';

create trigger maintain_daily_totals_insert after insert on crm.activities
  referencing new table as new_rows
  for each statement execute function app.activities_maintain_daily_totals();
create trigger maintain_daily_totals_delete after delete on crm.activities
  referencing old table as old_rows
  for each statement execute function app.activities_maintain_daily_totals();
create trigger maintain_daily_totals_update after update of user_id, date, type, status, quantity, amount, company_id
  on crm.activities for each row
  when ((old.user_id, old.date, old.type, old.status, old.quantity, old.amount, old.company_id)
        is distinct from (new.user_id, new.date, new.type, new.status, new.quantity, new.amount, new.company_id))
  execute function app.activities_maintain_daily_totals();

-- Rebuilds both tables from crm.activities (after a load with triggers off).
create or replace function app.rebuild_activity_daily_totals()
returns void
language sql
set search_path = ''
as $$
  delete from crm.activity_daily_totals;
  delete from crm.activity_daily_companies;
  insert into crm.activity_daily_totals (user_id, day, type, activities, counted_quantity, counted_amount)
  select a.user_id, (a.date at time zone 'UTC')::date, a.type, count(*),
         coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0),
         coalesce(sum(a.amount) filter (where a.status <> 'cancelled'), 0)
  from crm.activities a group by 1, 2, 3;
  insert into crm.activity_daily_companies (user_id, day, company_id, activities)
  select a.user_id, (a.date at time zone 'UTC')::date, a.company_id, count(*)
  from crm.activities a where a.company_id is not null group by 1, 2, 3;
$$;
comment on function app.rebuild_activity_daily_totals() is
  'Recomputes crm.activity_daily_totals and crm.activity_daily_companies from crm.activities (for loads with triggers off; owner only).';

-- Readable like the activities they sum: own, the team's (managers), all (admins).
-- Nobody writes them but the triggers.
grant select on crm.activity_daily_totals, crm.activity_daily_companies to crm_app;
alter table crm.activity_daily_totals enable row level security;
alter table crm.activity_daily_totals force row level security;
alter table crm.activity_daily_companies enable row level security;
alter table crm.activity_daily_companies force row level security;
create policy "activity_daily_totals: read own and team's" on crm.activity_daily_totals
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));
create policy "activity_daily_companies: read own and team's" on crm.activity_daily_companies
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));

-- The triggers also fire inside foreign-key actions (deleting a company sets
-- activities.company_id to null), which run as the table owner, so they run
-- as crm_helper (BYPASSRLS) like the link triggers and write only these two
-- tables.
grant select, insert, update, delete on crm.activity_daily_totals, crm.activity_daily_companies to crm_helper;
grant create on schema app to crm_helper;
alter function app.activities_maintain_daily_totals() security definer;
alter function app.activities_maintain_daily_totals() owner to crm_helper;
-- the rebuild reads every user's activities: as crm_helper too, and only the
-- owner role (migrations, the demo loader) may call it, never the app
alter function app.rebuild_activity_daily_totals() security definer;
alter function app.rebuild_activity_daily_totals() owner to crm_helper;
revoke create on schema app from crm_helper;
revoke all on function app.activities_maintain_daily_totals(), app.rebuild_activity_daily_totals() from public;
grant execute on function app.rebuild_activity_daily_totals() to crm_owner;

-- the activities already there
select app.rebuild_activity_daily_totals();

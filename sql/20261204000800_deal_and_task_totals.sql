-- Totals of deals and tasks for the dashboards, the lists and the kanban.
--
-- Every dashboard call read a rep's open deals (1,200 for a busy rep at the
-- large scale) and open tasks (2,400) one by one to count and sum them (the
-- deal figures, the pipeline by stage, the task counts), and the deal list,
-- the kanban's columns and the task list counted a manager's team (19,000
-- deals, 61,000 tasks) on every request. Two small tables kept by triggers in
-- the same transaction as the write hold those sums:
--
--   crm.deal_totals  (owner, stage, status): deals, their value, how many have
--                    a win probability above 0.7 and how many a deal
--                    intelligence score above 75;
--   crm.task_totals  (assignee, status): tasks, and how many of them are of
--                    high or urgent priority.
--
-- A list or board whose filters the totals can answer (stage, status, owner)
-- reads them; a search or a value, date or priority filter counts the rows.
-- The overdue count depends on the clock, so it is still counted from the
-- tasks (an index range, overdue ones only), and the dashboard's short lists
-- (top opportunities, largest deals, tasks due) read their ten rows from
-- partial indexes instead of sorting the rep's open deals and tasks.
--
-- Like crm.activity_daily_totals (20261125002100): inserts and deletes are
-- summed per statement (transition tables, so a bulk load pays once per
-- statement); an update moves a row's share only when a column the totals
-- read has changed (a row trigger with a WHEN clause: renaming a deal,
-- editing a task's title or a rescoring that moves no threshold costs
-- nothing here). Rows are counted with a sign, +1 new and -1 old; keys that
-- reach zero rows are deleted. Loads and the nightly rescoring, which switch
-- triggers off (session_replication_role = replica), call
-- app.rebuild_deal_and_task_totals().

create table crm.deal_totals (
  owner_id uuid not null,
  stage_id uuid not null,
  status text not null,
  deals integer not null,
  value numeric(16,2) not null,
  high_probability integer not null,
  top_opportunities integer not null,
  constraint pk_deal_totals primary key (owner_id, stage_id, status),
  constraint check_deal_totals_deals_positive check (deals > 0),
  constraint check_deal_totals_value_non_negative check (value >= 0),
  constraint check_deal_totals_counts_in_range
    check (high_probability between 0 and deals and top_opportunities between 0 and deals),
  constraint fk_deal_totals_owner_id_users foreign key (owner_id) references crm.users (id) on delete cascade,
  constraint fk_deal_totals_stage_id_deal_stages foreign key (stage_id)
    references crm.deal_stages (id) on delete cascade
);
create index index_deal_totals_on_stage_id on crm.deal_totals (stage_id);
comment on table crm.deal_totals is 'Per owner, stage and status: deals, sum(value), those with win_probability_ai > 0.7 and with deal_intelligence_score > 75. Kept by triggers on crm.deals.';

create table crm.task_totals (
  assigned_to uuid not null,
  status text not null,
  tasks integer not null,
  high_priority integer not null,
  constraint pk_task_totals primary key (assigned_to, status),
  constraint check_task_totals_tasks_positive check (tasks > 0),
  constraint check_task_totals_high_priority_in_range check (high_priority between 0 and tasks),
  constraint fk_task_totals_assigned_to_users foreign key (assigned_to) references crm.users (id) on delete cascade
);
comment on table crm.task_totals is 'Per assignee and status: tasks, and those of high or urgent priority. Kept by triggers on crm.tasks.';

-- One function per table for its three triggers: the changed rows with a
-- sign over the transition tables (insert, delete) or the row's old and new
-- records (update), summed per key, then one statement: keys emptied are
-- deleted, other existing keys updated, new keys inserted (a CHECK is tested
-- before ON CONFLICT, so a key's first row never goes through the update; the
-- ON CONFLICT is for a concurrent transaction inserting it).
create or replace function app.deals_maintain_totals()
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
      select d.owner_id, d.stage_id, d.status, sum(d.sign)::integer as deals, sum(d.sign * d.value) as value,
             coalesce(sum(d.sign) filter (where d.win_probability_ai > 0.7), 0)::integer as high_probability,
             coalesce(sum(d.sign) filter (where d.deal_intelligence_score > 75), 0)::integer as top_opportunities
      from delta d
      group by 1, 2, 3
      -- a deal edited without changing what is summed (its name, a date) adds nothing
      having (sum(d.sign), sum(d.sign * d.value), coalesce(sum(d.sign) filter (where d.win_probability_ai > 0.7), 0),
              coalesce(sum(d.sign) filter (where d.deal_intelligence_score > 75), 0)) <> (0, 0, 0, 0)),
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
$$;
comment on function app.deals_maintain_totals() is
  'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on deals: keeps crm.deal_totals.';

create or replace function app.tasks_maintain_totals()
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
$$;
comment on function app.tasks_maintain_totals() is
  'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on tasks: keeps crm.task_totals.';

create trigger maintain_totals_insert after insert on crm.deals
  referencing new table as new_rows for each statement execute function app.deals_maintain_totals();
create trigger maintain_totals_update
  after update of owner_id, stage_id, status, value, win_probability_ai, deal_intelligence_score on crm.deals
  for each row
  when ((old.owner_id, old.stage_id, old.status, old.value, old.win_probability_ai > 0.7,
         old.deal_intelligence_score > 75)
        is distinct from (new.owner_id, new.stage_id, new.status, new.value, new.win_probability_ai > 0.7,
                          new.deal_intelligence_score > 75))
  execute function app.deals_maintain_totals();
create trigger maintain_totals_delete after delete on crm.deals
  referencing old table as old_rows for each statement execute function app.deals_maintain_totals();
create trigger maintain_totals_insert after insert on crm.tasks
  referencing new table as new_rows for each statement execute function app.tasks_maintain_totals();
create trigger maintain_totals_update after update of assigned_to, status, priority on crm.tasks
  for each row
  when ((old.assigned_to, old.status, old.priority) is distinct from (new.assigned_to, new.status, new.priority))
  execute function app.tasks_maintain_totals();
create trigger maintain_totals_delete after delete on crm.tasks
  referencing old table as old_rows for each statement execute function app.tasks_maintain_totals();

-- Rebuilds both tables from crm.deals and crm.tasks (after a load or a
-- rescoring with triggers off).
create or replace function app.rebuild_deal_and_task_totals()
returns void
language sql
set search_path = ''
as $$
  delete from crm.deal_totals;
  delete from crm.task_totals;
  insert into crm.deal_totals (owner_id, stage_id, status, deals, value, high_probability, top_opportunities)
  select d.owner_id, d.stage_id, d.status, count(*), sum(d.value),
         count(*) filter (where d.win_probability_ai > 0.7), count(*) filter (where d.deal_intelligence_score > 75)
  from crm.deals d group by 1, 2, 3;
  insert into crm.task_totals (assigned_to, status, tasks, high_priority)
  select t.assigned_to, t.status, count(*), count(*) filter (where t.priority in ('high', 'urgent'))
  from crm.tasks t group by 1, 2;
$$;
comment on function app.rebuild_deal_and_task_totals() is
  'Recomputes crm.deal_totals and crm.task_totals from crm.deals and crm.tasks (for loads and rescoring with triggers off; owner only).';

-- Readable like what they sum: own, the team's (managers), all (admins).
-- Nobody writes them but the triggers.
grant select on crm.deal_totals, crm.task_totals to crm_app;
alter table crm.deal_totals enable row level security;
alter table crm.deal_totals force row level security;
alter table crm.task_totals enable row level security;
alter table crm.task_totals force row level security;
create policy "deal_totals: read own and team's" on crm.deal_totals
  for select to crm_app
  using ((select app.is_admin()) or owner_id = any ((select app.readable_user_ids())::uuid[]));
create policy "task_totals: read own and team's" on crm.task_totals
  for select to crm_app
  using ((select app.is_admin()) or assigned_to = any ((select app.readable_user_ids())::uuid[]));

-- The triggers write for whoever changed the rows (a rep's deal, a
-- rescoring as crm_helper): they run as crm_helper (BYPASSRLS), like the
-- daily totals, and write only these two tables.
grant select, insert, update, delete on crm.deal_totals, crm.task_totals to crm_helper;
grant create on schema app to crm_helper;
alter function app.deals_maintain_totals() security definer;
alter function app.deals_maintain_totals() owner to crm_helper;
alter function app.tasks_maintain_totals() security definer;
alter function app.tasks_maintain_totals() owner to crm_helper;
alter function app.rebuild_deal_and_task_totals() security definer;
alter function app.rebuild_deal_and_task_totals() owner to crm_helper;
revoke create on schema app from crm_helper;
revoke all on function app.deals_maintain_totals(), app.tasks_maintain_totals(), app.rebuild_deal_and_task_totals()
  from public;
grant execute on function app.rebuild_deal_and_task_totals() to crm_owner;

-- The dashboard's short lists: a rep's ten best open deals (intelligence
-- first), ten largest, straight from an index. The open-deals covering index
-- keeps what the team dashboard sums and drops the two scores: no index now
-- holds win_probability_ai, so rescoring a deal's probability alone can be a
-- HOT update.
create index index_deals_on_owner_id_open_by_intelligence on crm.deals
  (owner_id, deal_intelligence_score desc, value desc, id) where status = 'active';
create index index_deals_on_owner_id_open_by_value on crm.deals (owner_id, value desc, id) where status = 'active';
drop index crm.index_deals_on_owner_id_open_covering;
create index index_deals_on_owner_id_open_covering on crm.deals (owner_id)
  include (id, value, stage_id, expected_close_date)
  where status = 'active';

select app.rebuild_deal_and_task_totals();

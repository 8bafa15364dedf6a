-- The dashboard counted pending (future) activities as done: its bars for the coming two weeks
-- were the calls and meetings planned there. Only completed activities are done: the daily totals
-- gain `completed` (activities of the day with status completed), and counted_quantity /
-- counted_amount now sum completed activities only (they left out cancelled ones before; pending
-- and no-show ones are no more done than those). Recomputed here from crm.activities; the trigger
-- (sql/functions/totals.sql) keeps them from now on.
alter table crm.activity_daily_totals add column completed integer not null default 0;
alter table crm.activity_daily_totals
  add constraint check_activity_daily_totals_completed_range check (completed >= 0 and completed <= activities);

update crm.activity_daily_totals t
set completed = s.completed, counted_quantity = s.counted_quantity, counted_amount = s.counted_amount
from (
  select a.user_id, (a.date at time zone 'UTC')::date as day, a.type,
         count(*) filter (where a.status = 'completed')::integer as completed,
         coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0) as counted_quantity,
         coalesce(sum(a.amount) filter (where a.status = 'completed'), 0) as counted_amount
  from crm.activities a group by 1, 2, 3) s
where (t.user_id, t.day, t.type) = (s.user_id, s.day, s.type)
  and (t.completed, t.counted_quantity, t.counted_amount) is distinct from (s.completed, s.counted_quantity, s.counted_amount);

comment on table crm.activity_daily_totals is 'Per user, UTC day and activity type: activities of any status; completed ones, and the sum(quantity) and sum(amount) of those completed (what the dashboards count as done). Kept by triggers on crm.activities.';

-- The activities list's counts per type come from the daily totals: for a
-- manager's team without a date filter, every day of eleven people (28,000
-- rows at the large scale) summed by type. Read by (user, type) with the
-- count and the day beside them, the sum is an index-only scan in type order:
-- 8.3 ms -> 4.5 ms (bench/pages.py, the manager's /activities). A type or
-- date filter reads the same index.

create index index_activity_daily_totals_on_user_id_type_covering on crm.activity_daily_totals (user_id, type)
  include (activities, day);
comment on index crm.index_activity_daily_totals_on_user_id_type_covering is
  'The activities list''s counts per type (dashboard/views/activities.py), index-only: bench/pages.py.';

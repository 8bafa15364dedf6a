-- Two costs every dashboard call paid (bench/dashboard.py, the busiest rep
-- over 30 days: 3.7 ms a call before, the parts measured with pgbench):
--
-- * The activity totals of the range and the previous period (356 rows for
--   the busiest rep) came from a bitmap heap scan of activity_daily_totals:
--   one day's rows of every user share pages, so 356 rows were 323 heap
--   pages, 0.4 ms. The primary key now carries the figures (INCLUDE), so the
--   read is an index-only scan of about 7 pages, 0.1 ms. The upserts still
--   name the key columns (user_id, day, type); no other index is added.
--
-- * app.current_user_id() checked the set user id with a regular expression:
--   3.5 us a call, and every policy helper calls it (about thirty times a
--   dashboard, a dozen times a page). pg_input_is_valid() asks the uuid type
--   itself: 1 us. The answers are the same: null when app.user_id is unset,
--   empty or not a uuid (tests/test_rls_matrix.py).

alter table crm.activity_daily_totals
  drop constraint pk_activity_daily_totals,
  add constraint pk_activity_daily_totals primary key (user_id, day, type)
    include (activities, counted_quantity, counted_amount);

create or replace function app.current_user_id()
returns uuid
language plpgsql
stable
parallel safe
set search_path = ''
as $$
declare
  raw text := pg_catalog.current_setting('app.user_id', true);
begin
  if pg_catalog.pg_input_is_valid(raw, 'uuid') then
    return raw::uuid;
  end if;
  return null;
end
$$;

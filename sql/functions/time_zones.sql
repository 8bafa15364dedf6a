-- Users' time zones (crm.users.time_zone): the check that a name exists, the acting user's
-- zone for the dashboards, and re-bucketing a user's daily activity totals when their zone
-- changes (the totals count each user's activities per day of that user's zone).

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.is_time_zone(p_name text) returns boolean
    language sql stable
    set search_path to ''
    as $$
  select p_name is not null and pg_catalog.length(p_name) <= 64
         and exists (select from pg_catalog.pg_timezone_names z where z.name = p_name)
$$;
comment on function app.is_time_zone(p_name text) is 'True when p_name is a time zone PostgreSQL knows by name (pg_timezone_names: America/New_York, UTC); abbreviations and POSIX strings are not names.';
revoke all on function app.is_time_zone(p_name text) from public;
grant execute on function app.is_time_zone(p_name text) to crm_app;

create or replace function app.users_check_time_zone() returns trigger
    language plpgsql
    set search_path to ''
    as $$
begin
  if new.time_zone is not null and not app.is_time_zone(new.time_zone) then
    raise exception 'unknown time zone "%"', pg_catalog.left(new.time_zone, 64)
      using errcode = 'check_violation', constraint = 'check_users_time_zone',
            hint = 'Use an IANA name from pg_timezone_names, such as Europe/London.';
  end if;
  return new;
end
$$;
comment on function app.users_check_time_zone() is 'BEFORE INSERT/UPDATE OF time_zone on users: refuses (23514, check_users_time_zone) a name that is not in pg_timezone_names.';
revoke all on function app.users_check_time_zone() from public;

create or replace function app.current_time_zone() returns text
    language sql stable
    set search_path to ''
    as $$
  select coalesce((select u.time_zone from crm.users u where u.id = app.active_user_id()), 'UTC')
$$;
comment on function app.current_time_zone() is 'The acting user''s time zone name; UTC when they have none (or nobody acts).';
revoke all on function app.current_time_zone() from public;
grant execute on function app.current_time_zone() to crm_app;

create or replace function app.time_zone_lock_class() returns integer
    language sql immutable parallel safe
    set search_path to ''
    as $$
  select 1515
$$;
comment on function app.time_zone_lock_class() is 'The first key of the advisory locks on a user''s days, (1515, hashtext(user id)): shared by the writers of their activities'' daily totals, exclusive for a change of their zone.';
revoke all on function app.time_zone_lock_class() from public;
grant execute on function app.time_zone_lock_class() to crm_helper;

create or replace function app.users_rebucket_activity_totals() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  -- wait for the transactions writing this user's activities (they hold the lock shared, to their end),
  -- then count on the new days what they wrote too; writers that come later wait for this transaction
  perform pg_catalog.pg_advisory_xact_lock(app.time_zone_lock_class(), pg_catalog.hashtext(new.id::text));
  -- the user's days moved: count their activities again per day of the new zone
  delete from crm.activity_daily_totals t where t.user_id = new.id;
  delete from crm.activity_daily_companies t where t.user_id = new.id;
  -- the same sums as app.rebuild_activity_daily_totals (sql/functions/totals.sql), for one user
  insert into crm.activity_daily_totals (user_id, day, type, activities, completed, counted_quantity, counted_amount)
  select a.user_id, (a.date at time zone coalesce(new.time_zone, 'UTC'))::date, a.type, count(*),
         count(*) filter (where a.status = 'completed'),
         coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0),
         coalesce(sum(a.amount) filter (where a.status = 'completed'), 0)
  from crm.activities a where a.user_id = new.id group by 1, 2, 3;
  insert into crm.activity_daily_companies (user_id, day, company_id, activities)
  select a.user_id, (a.date at time zone coalesce(new.time_zone, 'UTC'))::date, a.company_id, count(*)
  from crm.activities a where a.user_id = new.id and a.company_id is not null group by 1, 2, 3;
  return null;
end
$$;
alter function app.users_rebucket_activity_totals() owner to crm_helper;
comment on function app.users_rebucket_activity_totals() is 'AFTER UPDATE OF time_zone on users (when it changes): recounts that user''s activity_daily_totals and activity_daily_companies per day of the new zone.';
revoke all on function app.users_rebucket_activity_totals() from public;

revoke create on schema app from crm_helper;

-- Triggers on users' time zones: a name must exist; a change re-buckets the user's daily totals.

create or replace trigger check_time_zone before insert or update of time_zone on crm.users
  for each row execute function app.users_check_time_zone();

create or replace trigger rebucket_activity_totals after update of time_zone on crm.users
  for each row when (old.time_zone is distinct from new.time_zone)
  execute function app.users_rebucket_activity_totals();

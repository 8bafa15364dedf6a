-- Each user's time zone (an IANA name such as America/New_York): times are shown and entered in
-- it and stored as UTC; dashboards' days and the daily totals follow it. Null until the browser
-- reports one at the first login (or the user or an admin chooses one): UTC meanwhile. The name is
-- checked against pg_timezone_names by the trigger check_time_zone (sql/triggers/time_zones.sql).
alter table crm.users add column time_zone text;
comment on column crm.users.time_zone is 'The user''s IANA time zone (pg_timezone_names); null: not chosen yet, UTC.';

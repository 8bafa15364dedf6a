-- Table privileges of the calendar. Feed tokens: crm_app reads its own rows' columns but the hash; the
-- definer functions (crm_helper) write them.
revoke all on table crm.calendar_feeds from crm_app;
grant select (id, user_id, created_at, last_used_at, revoked_at) on table crm.calendar_feeds to crm_app;
grant select, insert, update on table crm.calendar_feeds to crm_helper;

-- CalDAV sync: crm_app (the web app, and the job worker acting as the user) reads every column of its own
-- connection but the encrypted password, which it may write (connect, change the password) but never read
revoke all on table crm.calendar_connections from crm_app;
grant select (id, user_id, caldav_url, username, status, status_message, failures, next_attempt_at, last_attempt_at,
              last_success_at, sync_token, created_at, updated_at) on table crm.calendar_connections to crm_app;
grant insert, update, delete on table crm.calendar_connections to crm_app;
grant select, insert, update, delete on table crm.calendar_events to crm_app;
grant select, insert, delete on table crm.calendar_conflicts to crm_app;

-- Table privileges of the calendar. Feed tokens: crm_app reads its own rows' columns but the hash; the
-- definer functions (crm_helper) write them.
revoke all on table crm.calendar_feeds from crm_app;
grant select (id, user_id, created_at, last_used_at, revoked_at) on table crm.calendar_feeds to crm_app;
grant select, insert, update on table crm.calendar_feeds to crm_helper;

-- Row-level security of the calendar: feed tokens.
--
-- A user reads their own feeds (when issued, last used, revoked; never the hash: sql/grants/calendar.sql);
-- nobody writes them through crm_app: app.issue_calendar_feed, app.revoke_calendar_feed and
-- app.open_calendar_feed (definer functions, crm_helper) do.

drop policy if exists "calendar_feeds: read own" on crm.calendar_feeds;
create policy "calendar_feeds: read own" on crm.calendar_feeds
  for select to crm_app using (user_id = (select app.active_user_id()));

-- Private calendar feeds: issuing, revoking and opening a user's ICS feed token.
--
-- A feed token is a credential like a session token: 244 random bits (app.new_session_token), stored only
-- as its sha256 (app.token_hash) and looked up by that hash through a unique index, so the time a lookup
-- takes says nothing about how close a guess came. crm_app never reads the hashes; it asks these definer
-- functions. Opening a feed issues a one-minute job session for the feed's owner: the feed is then read
-- as that user under row-level security, like any request, and the session is ended with it.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.issue_calendar_feed() returns text
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  who uuid := app.active_user_id();
  token text := app.new_session_token();
begin
  if who is null then
    raise exception 'no acting user to issue a calendar feed for' using errcode = 'insufficient_privilege';
  end if;
  update crm.calendar_feeds set revoked_at = pg_catalog.now() where user_id = who and revoked_at is null;
  insert into crm.calendar_feeds (user_id, token_hash) values (who, app.token_hash(token));
  return token;
end
$$;
alter function app.issue_calendar_feed() owner to crm_helper;
comment on function app.issue_calendar_feed() is 'A new feed token for the acting user (returned once; only its sha256 is kept); their previous feed is revoked.';
revoke all on function app.issue_calendar_feed() from public;
grant execute on function app.issue_calendar_feed() to crm_app;

create or replace function app.revoke_calendar_feed() returns integer
    language sql security definer
    set search_path to ''
    as $$
  with revoked as (
    update crm.calendar_feeds set revoked_at = pg_catalog.now()
    where user_id = app.active_user_id() and revoked_at is null
    returning 1)
  select count(*)::integer from revoked
$$;
alter function app.revoke_calendar_feed() owner to crm_helper;
comment on function app.revoke_calendar_feed() is 'Revokes the acting user''s live feed (its URL answers 404 from then on); returns how many were revoked (0 or 1).';
revoke all on function app.revoke_calendar_feed() from public;
grant execute on function app.revoke_calendar_feed() to crm_app;

create or replace function app.open_calendar_feed(feed_token text) returns text
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  who uuid;
begin
  -- a live feed of an active user, found by the token's hash (unique index: no scan, no partial match)
  update crm.calendar_feeds f set last_used_at = pg_catalog.now()
  from crm.users u
  where f.token_hash = app.token_hash(feed_token) and f.revoked_at is null
    and u.id = f.user_id and u.is_active
  returning f.user_id into who;
  if who is null then
    return null;
  end if;
  return app.issue_session(who, 'job', 60);
end
$$;
alter function app.open_calendar_feed(feed_token text) owner to crm_helper;
comment on function app.open_calendar_feed(feed_token text) is 'The feed''s owner as a one-minute job session token (to read the feed under row-level security), or null for an unknown or revoked token or an inactive user; records the use.';
revoke all on function app.open_calendar_feed(feed_token text) from public;
grant execute on function app.open_calendar_feed(feed_token text) to crm_app;

revoke create on schema app from crm_helper;

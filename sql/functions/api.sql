-- The REST API's helpers (dashboard/api): which token a transaction presents, and rate limiting.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.current_api_token_id() returns uuid
    language sql stable security definer
    set search_path to ''
    as $$
  -- the live token this transaction presents (app.api_token), of an active user; else null
  select t.id from crm.api_tokens t join crm.users u on u.id = t.user_id
  where t.token_hash = app.token_hash(pg_catalog.current_setting('app.api_token', true))
    and pg_catalog.current_setting('app.api_token', true) <> ''
    and u.is_active and t.revoked_at is null and (t.expires_at is null or t.expires_at > pg_catalog.now())
$$;
alter function app.current_api_token_id() owner to crm_helper;
comment on function app.current_api_token_id() is 'The id of the live API token the transaction presents (app.api_token) when its user is active; else null. Idempotency keys are kept per token.';
revoke all on function app.current_api_token_id() from public;
grant execute on function app.current_api_token_id() to crm_app;

create or replace function app.take_api_request(max_requests integer, window_seconds integer) returns integer
    language plpgsql volatile security definer
    set search_path to ''
    as $$
declare
  token uuid := app.current_api_token_id();
  started timestamptz;
  counted integer;
begin
  -- counts one request of the presented token in the current fixed window; answers 0 when it is within
  -- max_requests, else the seconds until the window ends (the Retry-After)
  if token is null or max_requests < 1 or window_seconds < 1 then
    raise exception 'no live API token, or a limit below 1' using errcode = 'insufficient_privilege';
  end if;
  -- a count lost in a crash costs nothing: the transaction's commit need not wait for the WAL to reach the disk
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  started := pg_catalog.to_timestamp(pg_catalog.floor(extract(epoch from pg_catalog.now()) / window_seconds) * window_seconds);
  insert into crm.api_rate_windows as w (token_id, window_start, requests) values (token, started, 1)
  on conflict (token_id, window_start) do update set requests = w.requests + 1
  returning w.requests into counted;
  if counted = 1 then
    delete from crm.api_rate_windows w where w.token_id = token and w.window_start < started;
  end if;
  if counted <= max_requests then
    return 0;
  end if;
  return greatest(1, pg_catalog.ceil(extract(epoch from started + pg_catalog.make_interval(secs => window_seconds) - pg_catalog.now()))::integer);
end
$$;
alter function app.take_api_request(max_requests integer, window_seconds integer) owner to crm_helper;
comment on function app.take_api_request(max_requests integer, window_seconds integer) is 'REST API rate limit: counts a request of the presented token (app.api_token) in its fixed window of window_seconds; 0 when at most max_requests were made in it, else the seconds until the window ends.';
revoke all on function app.take_api_request(max_requests integer, window_seconds integer) from public;
grant execute on function app.take_api_request(max_requests integer, window_seconds integer) to crm_app;

revoke create on schema app from crm_helper;

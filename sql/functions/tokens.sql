-- Personal access tokens of the REST API (crm.api_tokens). crm_app never reads a token's hash and
-- never writes the table: a token is created, revoked and checked only by these definer functions,
-- so nobody can mint a token for someone else or bring a revoked one back. app.current_user_id()
-- (access.sql) resolves a presented token to its user. (Named tokens.sql to run after login.sql and
-- access.sql, whose functions these call.)

grant create on schema app to crm_helper;

create or replace function app.new_api_token() returns text
    language sql volatile
    set search_path to ''
    as $$
  -- crm_pat_ + 43 url-safe characters: 32 bytes from two v4 uuids (244 random bits), base64url, unpadded
  select 'crm_pat_' || pg_catalog.translate(pg_catalog.rtrim(pg_catalog.encode(
           pg_catalog.uuid_send(pg_catalog.gen_random_uuid()) || pg_catalog.uuid_send(pg_catalog.gen_random_uuid()),
           'base64'), '='), '+/', '-_')
$$;
comment on function app.new_api_token() is 'A fresh random API token: crm_pat_ and 43 url-safe characters (244 random bits).';
revoke all on function app.new_api_token() from public;
grant execute on function app.new_api_token() to crm_helper;

create or replace function app.create_api_token(token_name text, token_scope text, expires_days integer)
    returns table (id uuid, token text)
    language plpgsql volatile security definer
    set search_path to ''
    as $$
declare
  me uuid := app.active_user_id();
  fresh text := app.new_api_token();
begin
  if me is null then
    raise exception 'only an active user creates API tokens' using errcode = 'insufficient_privilege';
  end if;
  if token_name is null or char_length(pg_catalog.btrim(token_name)) not between 1 and 100 then
    raise exception 'a token needs a name of 1 to 100 characters' using errcode = 'check_violation';
  end if;
  if token_scope is null or token_scope not in ('read', 'write') then
    raise exception 'a token''s scope is read or write' using errcode = 'check_violation';
  end if;
  if expires_days is not null and expires_days not between 1 and 3650 then
    raise exception 'a token expires in 1 to 3650 days, or never' using errcode = 'check_violation';
  end if;
  return query
  insert into crm.api_tokens as t (user_id, name, scope, token_hash, prefix, expires_at)
  values (me, pg_catalog.btrim(token_name), token_scope, app.token_hash(fresh), pg_catalog.left(fresh, 12),
          pg_catalog.now() + pg_catalog.make_interval(days => expires_days))
  returning t.id, fresh;
end
$$;
alter function app.create_api_token(token_name text, token_scope text, expires_days integer) owner to crm_helper;
comment on function app.create_api_token(token_name text, token_scope text, expires_days integer) is 'The acting user creates a personal access token (scope read or write, expiring in 1-3650 days or never, null); returns its id and the token itself, which is shown once and never stored.';
revoke all on function app.create_api_token(token_name text, token_scope text, expires_days integer) from public;
grant execute on function app.create_api_token(token_name text, token_scope text, expires_days integer) to crm_app;

create or replace function app.revoke_api_token(token_id uuid) returns boolean
    language sql volatile security definer
    set search_path to ''
    as $$
  -- a user revokes their own tokens, an admin anyone's; true if a live token was revoked
  with revoked as (
    update crm.api_tokens t set revoked_at = pg_catalog.now()
    where t.id = token_id and t.revoked_at is null
      and (t.user_id = app.active_user_id() or app.is_admin())
    returning 1)
  select exists (select from revoked)
$$;
alter function app.revoke_api_token(token_id uuid) owner to crm_helper;
comment on function app.revoke_api_token(token_id uuid) is 'Revokes a personal access token of the acting user (an admin: of anyone); true if a live token was revoked.';
revoke all on function app.revoke_api_token(token_id uuid) from public;
grant execute on function app.revoke_api_token(token_id uuid) to crm_app;

create or replace function app.api_token_status(presented text)
    returns table (status text, token_id uuid, user_id uuid, scope text)
    language plpgsql volatile security definer
    set search_path to ''
    as $$
declare
  found crm.api_tokens;
  active boolean;
begin
  -- why a presented token is refused (the API answers 401 with the reason) or, when it is live, whose it
  -- is; a live token's last use is recorded, at most once a minute
  select t.* into found from crm.api_tokens t where t.token_hash = app.token_hash(coalesce(presented, ''));
  if found.id is null then
    return query select 'invalid', null::uuid, null::uuid, null::text;
    return;
  end if;
  select u.is_active into active from crm.users u where u.id = found.user_id;
  status := case when found.revoked_at is not null then 'revoked'
                 when found.expires_at <= pg_catalog.now() then 'expired'
                 when not coalesce(active, false) then 'inactive'
                 else 'ok' end;
  if status = 'ok' and (found.last_used_at is null or found.last_used_at < pg_catalog.now() - interval '1 minute') then
    update crm.api_tokens t set last_used_at = pg_catalog.now() where t.id = found.id;
  end if;
  return query select status, found.id, found.user_id, found.scope;
end
$$;
alter function app.api_token_status(presented text) owner to crm_helper;
comment on function app.api_token_status(presented text) is 'Checks a presented API token: ok (recording its last use, at most once a minute), invalid, revoked, expired, or inactive (its user is deactivated); with the token''s id, user and scope when it exists.';
revoke all on function app.api_token_status(presented text) from public;
grant execute on function app.api_token_status(presented text) to crm_app;

revoke create on schema app from crm_helper;

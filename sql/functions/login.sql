-- Login and sessions: the only way to an identity for crm_app.
--
-- The app never reads a password hash. It asks app.login_salt(email) for the
-- argon2id parameters and salt, computes the argon2id encoding of the typed
-- password itself, and hands that to app.log_in, which compares its sha256 with
-- the stored verifier and, on a match, issues a random session token. The token
-- is what each transaction presents (set_config('app.session', token, true));
-- app.current_user_id() resolves it through crm.sessions, which crm_app cannot read.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.password_verifier(encoded text) returns text
    language sql immutable parallel safe
    set search_path to ''
    as $$
  -- '$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>' -> '$argon2id$v=19$m=..,t=..,p=..$<salt>$sha256:<hex>';
  -- anything else (a verifier already, null) is returned unchanged
  select case when encoded ~ '^\$argon2[a-z]+\$v=[0-9]+\$[^$]+\$[^$]+\$[^$]+$' and encoded !~ '\$sha256:'
    then pg_catalog.substring(encoded, '^(\$argon2[a-z]+\$v=[0-9]+\$[^$]+\$[^$]+)\$[^$]+$')
         || '$sha256:' || pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(encoded, 'UTF8')), 'hex')
    else encoded end
$$;
comment on function app.password_verifier(encoded text) is 'The stored form of an argon2id encoding: its parameters and salt, then the sha256 of the whole encoding.';
revoke all on function app.password_verifier(encoded text) from public;
grant execute on function app.password_verifier(encoded text) to crm_helper;

create or replace function app.new_session_token() returns text
    language sql volatile
    set search_path to ''
    as $$
  -- 244 random bits from the server's strong generator (two v4 uuids)
  select pg_catalog.replace(pg_catalog.gen_random_uuid()::text || pg_catalog.gen_random_uuid()::text, '-', '')
$$;
comment on function app.new_session_token() is 'A fresh random session token (64 hex digits, 244 random bits).';
revoke all on function app.new_session_token() from public;
grant execute on function app.new_session_token() to crm_helper;

create or replace function app.token_hash(token text) returns bytea
    language sql immutable parallel safe
    set search_path to ''
    as $$
  select pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8'))
$$;
comment on function app.token_hash(token text) is 'How a session token is stored and looked up: its sha256.';
revoke all on function app.token_hash(token text) from public;
grant execute on function app.token_hash(token text) to crm_helper;

create or replace function app.verifier_matches(stored text, encoded text) returns boolean
    language sql immutable parallel safe
    set search_path to ''
    as $$
  -- compared as digests, so the time taken does not depend on how much of the verifier matches
  select pg_catalog.sha256(pg_catalog.convert_to(stored, 'UTF8'))
         = pg_catalog.sha256(pg_catalog.convert_to(app.password_verifier(encoded), 'UTF8'))
$$;
comment on function app.verifier_matches(stored text, encoded text) is 'True if the argon2id encoding matches the stored verifier.';
revoke all on function app.verifier_matches(stored text, encoded text) from public;
grant execute on function app.verifier_matches(stored text, encoded text) to crm_helper;

create or replace function app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) returns text
    language plpgsql volatile
    set search_path to ''
    as $$
declare
  token text := app.new_session_token();
begin
  -- the one place a session starts: log_in and fork_session (as crm_helper); the tests and the
  -- benches as the superuser. Not granted to crm_app.
  insert into crm.sessions (token_hash, user_id, purpose, expires_at)
  values (app.token_hash(token), who, session_purpose,
          pg_catalog.now() + make_interval(secs => least(greatest(lifetime_seconds, 60), 86400)));
  return token;
end
$$;
comment on function app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) is 'Starts a session (lifetime between a minute and a day) for a user and returns its token; only its hash is stored.';
revoke all on function app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) from public;
grant execute on function app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) to crm_helper;

create or replace function app.login_salt(login_email text) returns text
    language sql stable security definer
    set search_path to ''
    as $$
  -- the verifier up to its salt: no secret, but only for an active user with a password
  select pg_catalog.substring(u.password_hash, '^(.*)\$sha256:[0-9a-f]+$')
  from crm.users u
  where lower(u.email) = lower(btrim(login_email)) and u.is_active and u.password_hash is not null
$$;
alter function app.login_salt(login_email text) owner to crm_helper;
comment on function app.login_salt(login_email text) is 'The argon2id parameters and salt of the active user with this email (to compute the encoding app.log_in compares), or null.';
revoke all on function app.login_salt(login_email text) from public;
grant execute on function app.login_salt(login_email text) to crm_app;

create or replace function app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer)
    returns text
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  who uuid;
begin
  select u.id into who from crm.users u
  where lower(u.email) = lower(btrim(login_email)) and u.is_active and u.password_hash is not null
    and app.verifier_matches(u.password_hash, encoded);
  insert into crm.login_attempts (email, ip, user_id, succeeded)
  values (left(lower(btrim(login_email)), 320), client_ip, who, who is not null);
  if who is null then
    return null;
  end if;
  update crm.users set last_login_at = pg_catalog.now() where id = who;
  return app.issue_session(who, 'web', lifetime_seconds);
end
$$;
alter function app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) owner to crm_helper;
comment on function app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) is 'Checks the argon2id encoding against the stored verifier, records the attempt, and on success returns a new session token (lifetime at most a day); null otherwise.';
revoke all on function app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) from public;
grant execute on function app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) to crm_app;

create or replace function app.login_failures(login_email text, client_ip inet, window_seconds integer)
    returns table (account_failures integer, pair_failures integer, address_failures integer,
                   seconds_since_pair_failure double precision)
    language sql stable security definer
    set search_path to ''
    as $$
  -- failures within the window; for the account (and the account from this address)
  -- only those after its last success and after an admin's unlock
  with since as (
    select greatest(
      pg_catalog.now() - make_interval(secs => window_seconds),
      (select max(s.attempted_at) from crm.login_attempts s
       where s.email = left(lower(btrim(login_email)), 320) and s.succeeded),
      (select u.failures_cleared_at from crm.users u where lower(u.email) = lower(btrim(login_email)))) as t
  )
  select
    (select count(*)::integer from crm.login_attempts a, since
     where a.email = left(lower(btrim(login_email)), 320) and not a.succeeded and a.attempted_at > since.t),
    (select count(*)::integer from crm.login_attempts a, since
     where a.email = left(lower(btrim(login_email)), 320) and a.ip = client_ip
       and not a.succeeded and a.attempted_at > since.t),
    (select count(*)::integer from crm.login_attempts a
     where a.ip = client_ip and not a.succeeded
       and a.attempted_at > pg_catalog.now() - make_interval(secs => window_seconds)),
    (select extract(epoch from pg_catalog.now() - max(a.attempted_at))::double precision
     from crm.login_attempts a
     where a.email = left(lower(btrim(login_email)), 320) and a.ip = client_ip and not a.succeeded)
$$;
alter function app.login_failures(login_email text, client_ip inet, window_seconds integer) owner to crm_helper;
comment on function app.login_failures(login_email text, client_ip inet, window_seconds integer) is 'Recent failed logins: of the account, of the account from this address (since its last success or unlock), of the address; and seconds since the pair''s last failure.';
revoke all on function app.login_failures(login_email text, client_ip inet, window_seconds integer) from public;
grant execute on function app.login_failures(login_email text, client_ip inet, window_seconds integer) to crm_app;

create or replace function app.current_session_hash() returns bytea
    language sql stable
    set search_path to ''
    as $$
  select app.token_hash(nullif(pg_catalog.current_setting('app.session', true), ''))
$$;
comment on function app.current_session_hash() is 'Hash of the session token this transaction presents, or null.';
revoke all on function app.current_session_hash() from public;
grant execute on function app.current_session_hash() to crm_helper;

create or replace function app.fork_session(lifetime_seconds integer) returns text
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  who uuid := app.active_user_id();
begin
  -- a second session for the acting user, for work that outlives the request (an import)
  if who is null then
    raise exception 'no acting user to fork a session from' using errcode = 'insufficient_privilege';
  end if;
  return app.issue_session(who, 'job', lifetime_seconds);
end
$$;
alter function app.fork_session(lifetime_seconds integer) owner to crm_helper;
comment on function app.fork_session(lifetime_seconds integer) is 'A new job session (at most a day) for the acting user, so background work acts as them after the request ends.';
revoke all on function app.fork_session(lifetime_seconds integer) from public;
grant execute on function app.fork_session(lifetime_seconds integer) to crm_app;

create or replace function app.end_session(everywhere boolean) returns void
    language sql security definer
    set search_path to ''
    as $$
  update crm.sessions s set revoked_at = pg_catalog.now()
  where s.revoked_at is null
    and (s.token_hash = app.current_session_hash()
         or (everywhere and s.user_id = app.current_user_id()))
$$;
alter function app.end_session(everywhere boolean) owner to crm_helper;
comment on function app.end_session(everywhere boolean) is 'Log out: revokes this transaction''s session, or with everywhere every session of the acting user.';
revoke all on function app.end_session(everywhere boolean) from public;
grant execute on function app.end_session(everywhere boolean) to crm_app;

create or replace function app.revoke_sessions(target uuid, keep_current boolean) returns void
    language sql
    set search_path to ''
    as $$
  update crm.sessions s set revoked_at = pg_catalog.now()
  where s.user_id = target and s.revoked_at is null
    and not (keep_current and s.token_hash is not distinct from app.current_session_hash())
$$;
comment on function app.revoke_sessions(target uuid, keep_current boolean) is 'Revokes a user''s sessions (optionally all but this transaction''s). Internal: callers check the right to do it.';
revoke all on function app.revoke_sessions(target uuid, keep_current boolean) from public;
grant execute on function app.revoke_sessions(target uuid, keep_current boolean) to crm_helper;

revoke create on schema app from crm_helper;

-- Login: resolving a user for a session and recording / counting login attempts.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.login_user_id(login_email text) returns uuid
    language sql stable security definer
    set search_path to ''
    as $$
  select u.id from crm.users u
  where lower(u.email) = lower(btrim(login_email)) and u.is_active and u.password_hash is not null
$$;
alter function app.login_user_id(login_email text) owner to crm_helper;
comment on function app.login_user_id(login_email text) is 'Id of the active user with this email (case-insensitive), or null.';
revoke all on function app.login_user_id(login_email text) from public;
grant execute on function app.login_user_id(login_email text) to crm_app;

create or replace function app.recent_login_attempts_from(client_ip inet, window_seconds integer) returns integer
    language sql stable security definer
    set search_path to ''
    as $$
  select count(*)::integer from crm.login_attempts a
  where a.ip = client_ip
    and a.attempted_at > pg_catalog.now() - make_interval(secs => window_seconds)
$$;
alter function app.recent_login_attempts_from(client_ip inet, window_seconds integer) owner to crm_helper;
comment on function app.recent_login_attempts_from(client_ip inet, window_seconds integer) is 'Login attempts from one IP within the window.';
revoke all on function app.recent_login_attempts_from(client_ip inet, window_seconds integer) from public;
grant execute on function app.recent_login_attempts_from(client_ip inet, window_seconds integer) to crm_app;

create or replace function app.recent_login_failures(login_email text, window_seconds integer) returns integer
    language sql stable security definer
    set search_path to ''
    as $$
  -- failures for this account since its last success, within the window
  select count(*)::integer from crm.login_attempts a
  where lower(a.email) = left(lower(btrim(login_email)), 320)
    and not a.succeeded
    and a.attempted_at > pg_catalog.now() - make_interval(secs => window_seconds)
    and a.attempted_at > coalesce((
      select max(s.attempted_at) from crm.login_attempts s
      where lower(s.email) = left(lower(btrim(login_email)), 320) and s.succeeded), '-infinity')
$$;
alter function app.recent_login_failures(login_email text, window_seconds integer) owner to crm_helper;
comment on function app.recent_login_failures(login_email text, window_seconds integer) is 'Failed attempts on one account (since its last success) within the window.';
revoke all on function app.recent_login_failures(login_email text, window_seconds integer) from public;
grant execute on function app.recent_login_failures(login_email text, window_seconds integer) to crm_app;

create or replace function app.record_login_attempt(login_email text, client_ip inet, attempt_user_id uuid, attempt_succeeded boolean) returns void
    language sql security definer
    set search_path to ''
    as $$
  insert into crm.login_attempts (email, ip, user_id, succeeded)
  values (left(lower(btrim(login_email)), 320), client_ip, attempt_user_id, attempt_succeeded)
$$;
alter function app.record_login_attempt(login_email text, client_ip inet, attempt_user_id uuid, attempt_succeeded boolean) owner to crm_helper;
comment on function app.record_login_attempt(login_email text, client_ip inet, attempt_user_id uuid, attempt_succeeded boolean) is 'Logs one login attempt.';
revoke all on function app.record_login_attempt(login_email text, client_ip inet, attempt_user_id uuid, attempt_succeeded boolean) from public;
grant execute on function app.record_login_attempt(login_email text, client_ip inet, attempt_user_id uuid, attempt_succeeded boolean) to crm_app;

create or replace function app.session_is_valid(cookie_user_id uuid, cookie_session_version integer) returns boolean
    language sql stable security definer
    set search_path to ''
    as $$
  select exists (
    select 1 from crm.users u
    where u.id = cookie_user_id and u.is_active and u.session_version = cookie_session_version)
$$;
alter function app.session_is_valid(cookie_user_id uuid, cookie_session_version integer) owner to crm_helper;
comment on function app.session_is_valid(cookie_user_id uuid, cookie_session_version integer) is 'True if a session cookie for this user and session version is still good (not logged out, password unchanged, active).';
revoke all on function app.session_is_valid(cookie_user_id uuid, cookie_session_version integer) from public;
grant execute on function app.session_is_valid(cookie_user_id uuid, cookie_session_version integer) to crm_app;

revoke create on schema app from crm_helper;

-- Login support. Before anyone is logged in, app.user_id is empty and RLS
-- hides every user row, so the login form asks these narrow helpers instead:
-- each returns an id, a boolean or a count, never a row.
--
-- login_attempts records every attempt (T13) and is what throttling counts,
-- so the limits hold across gunicorn workers and hosts.

create table crm.login_attempts (
  id bigint generated always as identity primary key,
  attempted_at timestamptz not null default now(),
  email text not null,
  ip inet,
  user_id uuid,
  succeeded boolean not null,
  constraint check_login_attempts_email_length check (length(email) <= 320)
);
comment on table crm.login_attempts is 'Every login attempt (success or failure) with email, IP and time; throttling counts recent failures here.';
create index index_login_attempts_on_lower_email_and_time on crm.login_attempts (lower(email), attempted_at desc);
create index index_login_attempts_on_ip_and_time on crm.login_attempts (ip, attempted_at desc);
create index index_login_attempts_on_user_id on crm.login_attempts (user_id);
alter table crm.login_attempts enable row level security;
alter table crm.login_attempts force row level security;
create policy "login_attempts: admins read" on crm.login_attempts
  for select to crm_app using ((select app.is_admin()));
grant select on crm.login_attempts to crm_app;
grant select, insert on crm.login_attempts to crm_helper;

create or replace function app.login_user_id(login_email text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.id from crm.users u
  where lower(u.email) = lower(btrim(login_email)) and u.is_active and u.password_hash is not null
$$;
comment on function app.login_user_id(text) is 'Id of the active user with this email (case-insensitive), or null.';

create or replace function app.session_is_valid(cookie_user_id uuid, cookie_session_version integer)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from crm.users u
    where u.id = cookie_user_id and u.is_active and u.session_version = cookie_session_version)
$$;
comment on function app.session_is_valid(uuid, integer) is 'True if a session cookie for this user and session version is still good (not logged out, password unchanged, active).';

create or replace function app.record_login_attempt(login_email text, client_ip inet, attempt_user_id uuid, attempt_succeeded boolean)
returns void
language sql
volatile
security definer
set search_path = ''
as $$
  insert into crm.login_attempts (email, ip, user_id, succeeded)
  values (left(lower(btrim(login_email)), 320), client_ip, attempt_user_id, attempt_succeeded)
$$;
comment on function app.record_login_attempt(text, inet, uuid, boolean) is 'Logs one login attempt.';

create or replace function app.recent_login_failures(login_email text, window_seconds integer)
returns integer
language sql
stable
security definer
set search_path = ''
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
comment on function app.recent_login_failures(text, integer) is 'Failed attempts on one account (since its last success) within the window.';

create or replace function app.recent_login_attempts_from(client_ip inet, window_seconds integer)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)::integer from crm.login_attempts a
  where a.ip = client_ip
    and a.attempted_at > pg_catalog.now() - make_interval(secs => window_seconds)
$$;
comment on function app.recent_login_attempts_from(inet, integer) is 'Login attempts from one IP within the window.';

grant create on schema app to crm_helper;
do $$
declare
  f text;
begin
  foreach f in array array[
    'app.login_user_id(text)', 'app.session_is_valid(uuid, integer)',
    'app.record_login_attempt(text, inet, uuid, boolean)',
    'app.recent_login_failures(text, integer)', 'app.recent_login_attempts_from(inet, integer)'
  ] loop
    execute format('alter function %s owner to crm_helper', f);
    execute format('revoke all on function %s from public', f);
    execute format('grant execute on function %s to crm_app', f);
  end loop;
end
$$;
revoke create on schema app from crm_helper;

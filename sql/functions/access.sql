-- The acting user as policies and functions see it: who (app.current_user_id,
-- app.active_user_id), their role, team and readable users, and the AI-feature gate.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.active_user_id() returns uuid
    language sql stable security definer
    set search_path to ''
    as $$
  select u.id from crm.users u where u.id = app.current_user_id() and u.is_active
$$;
alter function app.active_user_id() owner to crm_helper;
comment on function app.active_user_id() is 'The acting user id if that user exists and is active, else null: what write policies compare owners with.';
revoke all on function app.active_user_id() from public;
grant execute on function app.active_user_id() to crm_app;

create or replace function app.current_team_id() returns uuid
    language sql stable security definer
    set search_path to ''
    as $$
  select u.team_id from crm.users u where u.id = app.current_user_id() and u.is_active
$$;
alter function app.current_team_id() owner to crm_helper;
comment on function app.current_team_id() is 'Team of the acting user, or null.';
revoke all on function app.current_team_id() from public;
grant execute on function app.current_team_id() to crm_app;

create or replace function app.current_user_id() returns uuid
    language plpgsql stable parallel safe security definer
    set search_path to ''
    as $$
declare
  token text := pg_catalog.current_setting('app.session', true);
  raw text := pg_catalog.current_setting('app.user_id', true);
  api_token text := pg_catalog.current_setting('app.api_token', true);
begin
  -- the app's way: a session token issued by app.log_in / app.fork_session
  if token is not null and token <> '' then
    return (select s.user_id from crm.sessions s
            where s.token_hash = app.token_hash(token)
              and s.revoked_at is null and s.expires_at > pg_catalog.now());
  end if;
  -- the REST API's way: a personal access token (app.create_api_token), live and of an active user
  if api_token is not null and api_token <> '' then
    return (select t.user_id from crm.api_tokens t join crm.users u on u.id = t.user_id
            where t.token_hash = app.token_hash(api_token) and u.is_active and t.revoked_at is null
              and (t.expires_at is null or t.expires_at > pg_catalog.now()));
  end if;
  -- app.user_id is believed only from a trusted login (a superuser or a member of
  -- crm_owner: the CLI, the scoring job, tests); crm_app's own setting counts for nothing
  if pg_catalog.pg_input_is_valid(raw, 'uuid')
     and exists (select 1 from pg_catalog.pg_roles r where r.rolname = session_user
                 and (r.rolsuper or pg_catalog.pg_has_role(session_user, 'crm_owner', 'MEMBER'))) then
    return raw::uuid;
  end if;
  return null;
end
$$;
alter function app.current_user_id() owner to crm_helper;
comment on function app.current_user_id() is 'The acting user: the owner of the live session whose token this transaction presents (app.session); else the active owner of the live API token it presents (app.api_token); from a trusted login (superuser, crm_owner member) app.user_id; else null.';
revoke all on function app.current_user_id() from public;
grant execute on function app.current_user_id() to crm_app;
grant execute on function app.current_user_id() to crm_helper;

-- A task records who created it. The column default calls the function above,
-- so it is set here, after the function, rather than in the table's migration.
alter table crm.tasks alter column created_by set default app.current_user_id();

create or replace function app.current_user_role() returns text
    language sql stable security definer
    set search_path to ''
    as $$
  select u.role from crm.users u where u.id = app.current_user_id() and u.is_active
$$;
alter function app.current_user_role() owner to crm_helper;
comment on function app.current_user_role() is 'Role of the acting user if active, else null.';
revoke all on function app.current_user_role() from public;
grant execute on function app.current_user_role() to crm_app;

create or replace function app.is_admin() returns boolean
    language sql stable security definer
    set search_path to ''
    as $$
  select coalesce((select u.role = 'admin' from crm.users u where u.id = app.current_user_id() and u.is_active), false)
$$;
alter function app.is_admin() owner to crm_helper;
comment on function app.is_admin() is 'True when the acting user is an active admin.';
revoke all on function app.is_admin() from public;
grant execute on function app.is_admin() to crm_app;

create or replace function app.readable_user_ids() returns uuid[]
    language sql stable security definer
    set search_path to ''
    as $$
  -- a rep reads their own rows; a manager also the rows of the people they
  -- manage (directly or as manager of their team); nobody else (no, an
  -- inactive or an unknown user) reads anything
  select coalesce((
    select case me.role
      when 'manager' then array(
        select u.id from crm.users u
        where u.id = me.id
           or u.manager_id = me.id
           or u.team_id in (select t.id from crm.teams t where t.manager_id = me.id))
      when 'rep' then array[me.id]
      when 'admin' then array[me.id]
    end
    from crm.users me
    where me.id = app.current_user_id() and me.is_active), '{}'::uuid[])
$$;
alter function app.readable_user_ids() owner to crm_helper;
comment on function app.readable_user_ids() is 'Users whose rows the acting user may read (self, plus team for managers); admins are handled by app.is_admin().';
revoke all on function app.readable_user_ids() from public;
grant execute on function app.readable_user_ids() to crm_app;

create or replace function app.require_ai_features() returns void
    language plpgsql stable
    set search_path to ''
    as $$
begin
  if exists (select 1 from pg_catalog.pg_roles r
             where r.rolname = current_user and (r.rolsuper or r.rolbypassrls)) then
    return;  -- the scoring job or the rescoring helper: not an app user
  end if;
  if not coalesce((select u.ai_features from crm.users u
                   where u.id = app.current_user_id() and u.is_active), false) then
    raise exception 'AI features are not enabled for this user'
      using errcode = 'insufficient_privilege';
  end if;
end
$$;
comment on function app.require_ai_features() is 'Raises insufficient_privilege unless the acting app user has ai_features (superuser/BYPASSRLS callers pass).';
revoke all on function app.require_ai_features() from public;
grant execute on function app.require_ai_features() to crm_app;
grant execute on function app.require_ai_features() to crm_helper;

revoke create on schema app from crm_helper;

-- Passwords, lockouts and other users' sessions: the definer functions that
-- are the only way crm_app changes a password hash, a lockout or a session.
-- Each checks the current password or the acting user's admin rights itself.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.check_own_password(encoded text) returns boolean
    language sql stable security definer
    set search_path to ''
    as $$
  select coalesce((
    select app.verifier_matches(u.password_hash, encoded) from crm.users u where u.id = app.active_user_id()), false)
$$;
alter function app.check_own_password(encoded text) owner to crm_helper;
comment on function app.check_own_password(encoded text) is 'True if the argon2id encoding matches the acting user''s password.';
revoke all on function app.check_own_password(encoded text) from public;
grant execute on function app.check_own_password(encoded text) to crm_app;

create or replace function app.change_own_password(current_encoded text, new_encoded text) returns boolean
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  -- the current password is checked here, not only by the form
  if not app.check_own_password(current_encoded) then
    return false;
  end if;
  update crm.users set password_hash = new_encoded where id = app.active_user_id();
  perform app.revoke_sessions(app.active_user_id(), true);  -- every other session ends
  return true;
end
$$;
alter function app.change_own_password(current_encoded text, new_encoded text) owner to crm_helper;
comment on function app.change_own_password(current_encoded text, new_encoded text) is 'Sets the acting user''s password if current_encoded matches the present one; ends their other sessions. False when it does not match.';
revoke all on function app.change_own_password(current_encoded text, new_encoded text) from public;
grant execute on function app.change_own_password(current_encoded text, new_encoded text) to crm_app;

create or replace function app.require_admin() returns void
    language plpgsql stable
    set search_path to ''
    as $$
begin
  if not app.is_admin() then
    raise exception 'only an admin may do this' using errcode = 'insufficient_privilege';
  end if;
end
$$;
comment on function app.require_admin() is 'Raises insufficient_privilege unless the acting user is an active admin.';
revoke all on function app.require_admin() from public;
grant execute on function app.require_admin() to crm_helper;

create or replace function app.set_user_password(target uuid, new_encoded text) returns void
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  perform app.require_admin();
  update crm.users set password_hash = new_encoded where id = target;
  perform app.revoke_sessions(target, target = app.active_user_id());
end
$$;
alter function app.set_user_password(target uuid, new_encoded text) owner to crm_helper;
comment on function app.set_user_password(target uuid, new_encoded text) is 'An admin sets a user''s password; that user''s sessions end (the admin''s own current one excepted).';
revoke all on function app.set_user_password(target uuid, new_encoded text) from public;
grant execute on function app.set_user_password(target uuid, new_encoded text) to crm_app;

create or replace function app.revoke_user_sessions(target uuid) returns void
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  perform app.require_admin();
  perform app.revoke_sessions(target, target = app.active_user_id());
end
$$;
alter function app.revoke_user_sessions(target uuid) owner to crm_helper;
comment on function app.revoke_user_sessions(target uuid) is 'An admin logs a user out everywhere (the admin''s own current session excepted).';
revoke all on function app.revoke_user_sessions(target uuid) from public;
grant execute on function app.revoke_user_sessions(target uuid) to crm_app;

create or replace function app.unlock_login(target uuid) returns void
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  perform app.require_admin();
  update crm.users set failures_cleared_at = pg_catalog.now() where id = target;
end
$$;
alter function app.unlock_login(target uuid) owner to crm_helper;
comment on function app.unlock_login(target uuid) is 'An admin unlocks an account: its earlier failed logins stop counting.';
revoke all on function app.unlock_login(target uuid) from public;
grant execute on function app.unlock_login(target uuid) to crm_app;

create or replace function app.users_protect_credentials() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  -- a full argon2id encoding (the CLI, the demo) is stored as its verifier
  new.password_hash := app.password_verifier(new.password_hash);
  if tg_op = 'UPDATE' and old.is_active and not new.is_active then
    perform app.revoke_sessions(new.id, false);  -- deactivation ends every session
    -- and every API token, so reactivating the user does not bring old tokens back
    update crm.api_tokens t set revoked_at = pg_catalog.now() where t.user_id = new.id and t.revoked_at is null;
  end if;
  return new;
end
$$;
alter function app.users_protect_credentials() owner to crm_helper;
comment on function app.users_protect_credentials() is 'BEFORE INSERT/UPDATE on users: stores password encodings as verifiers; ends the sessions and revokes the API tokens of a deactivated user.';
revoke all on function app.users_protect_credentials() from public;

revoke create on schema app from crm_helper;

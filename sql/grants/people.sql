-- Table privileges on teams, users, their targets and the login attempts.
grant select, insert, update, delete on table crm.teams, crm.targets to crm_app;
grant select on table crm.teams, crm.users to crm_helper;

-- users: crm_app never reads or writes a password verifier, and changes passwords,
-- lockouts and logins only through the definer functions of sql/functions/credentials.sql
-- and login.sql (which run as crm_helper)
revoke all on table crm.users from crm_app;
grant select (id, email, full_name, role, team_id, manager_id, is_active, ai_features, failures_cleared_at,
              last_login_at, time_zone, created_at, updated_at, version) on table crm.users to crm_app;
grant insert (id, email, full_name, role, team_id, manager_id, is_active, ai_features, time_zone, version)
  on table crm.users to crm_app;
-- time_zone: a user sets their own, an admin anyone's (the update policy; not an admin column)
grant update (email, full_name, role, team_id, manager_id, is_active, ai_features, time_zone, version)
  on table crm.users to crm_app;
grant delete on table crm.users to crm_app;
grant update (password_hash, last_login_at, failures_cleared_at) on table crm.users to crm_helper;

-- sessions: only the login and credential functions (crm_helper) touch them
revoke all on table crm.sessions from crm_app;
grant select, insert, update on table crm.sessions to crm_helper;

-- login attempts are recorded by the login functions (crm_helper); admins read them
grant select on table crm.login_attempts to crm_app;
grant select, insert on table crm.login_attempts to crm_helper;

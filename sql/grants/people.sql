-- Table privileges on teams, users, their targets and the login attempts.
grant select, insert, update, delete on table crm.teams, crm.users, crm.targets to crm_app;
grant select on table crm.teams, crm.users to crm_helper;

-- login attempts are recorded by the login functions (crm_helper); admins read them
grant select on table crm.login_attempts to crm_app;
grant select, insert on table crm.login_attempts to crm_helper;

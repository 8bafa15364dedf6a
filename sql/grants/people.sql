grant select,insert,delete,update on table crm.teams to crm_app;
grant select on table crm.teams to crm_helper;

grant select,insert,delete,update on table crm.users to crm_app;
grant select on table crm.users to crm_helper;

grant select on table crm.login_attempts to crm_app;
grant select,insert on table crm.login_attempts to crm_helper;

grant select,insert,delete,update on table crm.targets to crm_app;

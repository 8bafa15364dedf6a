grant select,insert,delete,update on table crm.tasks to crm_app;
grant select on table crm.tasks to crm_helper;

grant update(depth) on table crm.tasks to crm_helper;

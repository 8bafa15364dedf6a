grant select,insert,delete,update on table crm.meetings to crm_app;
grant select on table crm.meetings to crm_helper;

grant select,insert,delete,update on table crm.meeting_action_items to crm_app;

grant select,insert,delete,update on table crm.meeting_attendees to crm_app;

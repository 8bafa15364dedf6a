-- Table privileges on meetings, their action items and attendees.
grant select, insert, update, delete on table crm.meetings, crm.meeting_action_items, crm.meeting_attendees to crm_app;
grant select on table crm.meetings to crm_helper;

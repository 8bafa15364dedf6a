-- The guard on every table a cascade or a SECURITY DEFINER trigger writes on a user's behalf
-- (function: app.guard_writes_on_others_records; the list is in docs/security.md).

create or replace trigger guard_writes_on_others_records before update or delete on crm.activities for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.activity_meetings for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.contact_interactions for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.contacts for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.deal_meetings for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.deal_stakeholders for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.deals for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.meeting_action_items for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.meeting_attendees for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.meeting_sequences for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.meetings for each row execute function app.guard_writes_on_others_records();

create or replace trigger guard_writes_on_others_records before update or delete on crm.tasks for each row execute function app.guard_writes_on_others_records();

-- company_activities also on insert: relinking after a contact's or deal's company change adds links
create or replace trigger guard_writes_on_others_records before insert or update or delete on crm.company_activities for each row execute function app.guard_writes_on_others_records();

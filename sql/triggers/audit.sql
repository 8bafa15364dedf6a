-- The audit trigger on every business table (function: app.audit_row_change).

create or replace trigger audit_row_change after insert or delete or update on crm.activities for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.activity_meetings for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.companies for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.company_activities for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.contact_interactions for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.contacts for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.deal_meetings for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.deal_stage_history for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.deal_stages for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.deal_stakeholders for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.deals for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.meeting_action_items for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.meeting_attendees for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.meeting_sequences for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.meetings for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.quotas for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.targets for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.tasks for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.teams for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.users for each row execute function app.audit_row_change();

create or replace trigger audit_row_change after insert or delete or update on crm.record_merges for each row execute function app.audit_row_change();

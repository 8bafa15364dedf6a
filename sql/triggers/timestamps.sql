-- updated_at stamps on the tables that have the column.

create or replace trigger set_updated_at before update on crm.activities for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.companies for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.contact_interactions for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.contacts for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.deal_stages for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.deal_stakeholders for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.deals for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.meeting_action_items for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.meeting_attendees for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.meetings for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.quotas for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.saved_views for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.targets for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.tasks for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.teams for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.users for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.mail_accounts for each row execute function app.set_updated_at();

create or replace trigger set_updated_at before update on crm.mail_contact_suggestions for each row execute function app.set_updated_at();

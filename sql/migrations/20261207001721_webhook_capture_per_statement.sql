-- Webhooks: inserts and deletes are captured by statement triggers (webhook_capture_insert,
-- webhook_capture_delete: sql/triggers/webhooks.sql) instead of the row trigger of the first version, so a
-- bulk statement looks at the endpoints once. The retired row trigger goes here; the definition files create
-- the new ones.
drop trigger if exists webhook_capture_insert_delete on crm.companies;
drop trigger if exists webhook_capture_insert_delete on crm.contacts;
drop trigger if exists webhook_capture_insert_delete on crm.deals;
drop trigger if exists webhook_capture_insert_delete on crm.activities;
drop trigger if exists webhook_capture_insert_delete on crm.meetings;
drop trigger if exists webhook_capture_insert_delete on crm.tasks;

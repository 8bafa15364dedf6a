-- Triggers on the lost reasons: the update stamp and the audit log.

create or replace trigger set_updated_at before update on crm.lost_reasons for each row execute function app.set_updated_at();

create or replace trigger audit_row_change after insert or delete or update on crm.lost_reasons for each row execute function app.audit_row_change();

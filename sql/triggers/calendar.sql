-- The calendar sync's tables. Connections are not audited (a row holds an encrypted password; the audit log
-- keeps changed values); the meetings a sync writes are, by the meetings' own triggers.

create or replace trigger set_updated_at before update on crm.calendar_connections for each row execute function app.set_updated_at();

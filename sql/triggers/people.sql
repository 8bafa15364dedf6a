-- Triggers on users: only admins change the admin-controlled columns; password
-- encodings are stored as verifiers and deactivation ends every session.

create or replace trigger guard_admin_columns before update on crm.users for each row execute function app.users_guard_admin_columns();

create or replace trigger protect_credentials before insert or update on crm.users for each row execute function app.users_protect_credentials();

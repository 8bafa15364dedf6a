-- Triggers on users: only admins change the admin-controlled columns.

create or replace trigger guard_admin_columns before update on crm.users for each row execute function app.users_guard_admin_columns();

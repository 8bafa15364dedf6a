-- Triggers producing notifications: a deal assigned to someone by someone else (sql/functions/notifications.sql).

create or replace trigger notify_assignment_on_insert after insert on crm.deals referencing new table as inserted_deals for each statement execute function app.deals_notify_assignment();

create or replace trigger notify_assignment_on_owner_change after update of owner_id on crm.deals for each row when (old.owner_id is distinct from new.owner_id) execute function app.deals_notify_assignment();

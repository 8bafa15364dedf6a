-- Table privileges on notifications: the app reads a user's notices and marks them read (read_at only);
-- preferences and email settings are the user's to write. The assignment trigger (crm_helper) inserts
-- notices and reads the channels; the worker's producer runs as the operator.
grant select, update (read_at) on table crm.notifications to crm_app;
grant select, insert, update, delete on table crm.notification_preferences to crm_app;
grant select, insert, update (email_mode, digest_time, updated_at) on table crm.notification_settings to crm_app;
grant select, insert on table crm.notifications to crm_helper;
grant select on table crm.notification_settings to crm_helper;
grant select, insert, update on table crm.notification_preferences to crm_helper;  -- unsubscribe by link

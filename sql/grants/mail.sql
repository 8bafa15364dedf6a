-- Table privileges of mailbox sync. crm_app writes a mailbox's encrypted password but can never read it
-- back: every column of mail_accounts but password_encrypted is selectable (the job worker, with the
-- operator's role, reads and decrypts it). The rest: row-level security decides whose rows.
revoke all on table crm.mail_accounts from crm_app;
grant select (id, user_id, imap_url, status, status_message, folder_state, failures, next_attempt_at,
              last_attempt_at, last_synced_at, messages_logged, messages_skipped, created_at, updated_at, version)
  on table crm.mail_accounts to crm_app;
grant insert (user_id, imap_url, password_encrypted, status, next_attempt_at) on table crm.mail_accounts to crm_app;
grant update (imap_url, password_encrypted, status, status_message, folder_state, failures, next_attempt_at,
              last_attempt_at, last_synced_at, messages_logged, messages_skipped, version)
  on table crm.mail_accounts to crm_app;
grant delete on table crm.mail_accounts to crm_app;
grant select, insert, update, delete on table crm.mail_messages, crm.mail_contact_suggestions, crm.mail_never_log
  to crm_app;

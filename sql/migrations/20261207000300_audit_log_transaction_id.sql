-- Each audit row records the transaction that wrote it, so a delete can be tried in a savepoint
-- and its real effects read back (app.transaction_changes, used by the delete confirmations).
-- Added without a default first (no table rewrite: older rows stay null), then the default.
alter table crm.audit_log add column transaction_id xid8;
alter table crm.audit_log alter column transaction_id set default pg_catalog.pg_current_xact_id();
comment on column crm.audit_log.transaction_id is 'The top-level transaction that wrote the row (null for rows written before 20261207000300).';
create index index_audit_log_on_transaction_id on crm.audit_log using btree (transaction_id);

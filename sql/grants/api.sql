-- The REST API's bookkeeping: crm_app reads and records its token's idempotency keys; rate windows
-- are counted by app.take_api_request alone.
revoke all on table crm.api_rate_windows from crm_app;
grant select, insert, update, delete on table crm.api_rate_windows to crm_helper;
revoke all on table crm.api_idempotency_keys from crm_app;
grant select, insert on table crm.api_idempotency_keys to crm_app;

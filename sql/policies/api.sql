-- Row-level security of the REST API's bookkeeping. Rate windows are written only by
-- app.take_api_request (crm_helper); idempotency keys belong to the token that presents them.

drop policy if exists "api_rate_windows: never read by the app (app.take_api_request only)" on crm.api_rate_windows;
create policy "api_rate_windows: never read by the app (app.take_api_request only)" on crm.api_rate_windows
  for select to crm_app using (false);

drop policy if exists "api_idempotency_keys: the presenting token's" on crm.api_idempotency_keys;
create policy "api_idempotency_keys: the presenting token's" on crm.api_idempotency_keys
  for select to crm_app
  using (token_id = (select app.current_api_token_id()));

drop policy if exists "api_idempotency_keys: recorded by the presenting token" on crm.api_idempotency_keys;
create policy "api_idempotency_keys: recorded by the presenting token" on crm.api_idempotency_keys
  for insert to crm_app
  with check (token_id = (select app.current_api_token_id()) and user_id = (select app.current_user_id()));

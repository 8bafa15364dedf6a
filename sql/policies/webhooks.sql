-- Row-level security of the webhook tables: admins only, one policy per command. The capture and wake-up
-- triggers (app.webhook_capture, app.webhook_wake: crm_helper) write events, deliveries and the dispatch job
-- for every user's changes; the worker (the operator's role) writes attempts. crm_app never reads an
-- endpoint's secret (no column privilege, sql/grants/webhooks.sql).

drop policy if exists "webhook_endpoints: admins create" on crm.webhook_endpoints;
create policy "webhook_endpoints: admins create" on crm.webhook_endpoints for insert to crm_app
  with check ((select app.is_admin()) and created_by = (select app.active_user_id()));

drop policy if exists "webhook_endpoints: admins read" on crm.webhook_endpoints;
create policy "webhook_endpoints: admins read" on crm.webhook_endpoints for select to crm_app
  using ((select app.is_admin()));

drop policy if exists "webhook_endpoints: admins update" on crm.webhook_endpoints;
create policy "webhook_endpoints: admins update" on crm.webhook_endpoints for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()));

drop policy if exists "webhook_endpoints: admins delete" on crm.webhook_endpoints;
create policy "webhook_endpoints: admins delete" on crm.webhook_endpoints for delete to crm_app
  using ((select app.is_admin()));

drop policy if exists "webhook_events: admins read" on crm.webhook_events;
create policy "webhook_events: admins read" on crm.webhook_events for select to crm_app
  using ((select app.is_admin()));

-- the "Send test event" button: an admin writes a webhook.test event (never a record's event) ...
drop policy if exists "webhook_events: admins create test events" on crm.webhook_events;
create policy "webhook_events: admins create test events" on crm.webhook_events for insert to crm_app
  with check ((select app.is_admin()) and type = 'webhook.test' and record_id is null);

drop policy if exists "webhook_deliveries: admins read" on crm.webhook_deliveries;
create policy "webhook_deliveries: admins read" on crm.webhook_deliveries for select to crm_app
  using ((select app.is_admin()));

-- ... and its delivery, pending
drop policy if exists "webhook_deliveries: admins create test deliveries" on crm.webhook_deliveries;
create policy "webhook_deliveries: admins create test deliveries" on crm.webhook_deliveries for insert to crm_app
  with check ((select app.is_admin()) and status = 'pending' and attempts = 0
              and exists (select from crm.webhook_events e where e.id = event_id and e.type = 'webhook.test'));

-- Replay: an admin sets a delivery pending again
drop policy if exists "webhook_deliveries: admins replay" on crm.webhook_deliveries;
create policy "webhook_deliveries: admins replay" on crm.webhook_deliveries for update to crm_app
  using ((select app.is_admin()))
  with check ((select app.is_admin()) and status = 'pending');

drop policy if exists "webhook_attempts: admins read" on crm.webhook_attempts;
create policy "webhook_attempts: admins read" on crm.webhook_attempts for select to crm_app
  using ((select app.is_admin()));

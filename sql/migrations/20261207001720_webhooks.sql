-- Webhooks (issue 17): the endpoints admins register, the outbox of events written in the same transaction
-- as each change (sql/triggers/webhooks.sql), one delivery per event and subscribed endpoint, and each
-- delivery's attempts. Admins only (row-level security); the job worker delivers (dashboard/jobs/webhooks.py).
create table crm.webhook_endpoints (
    id uuid primary key default gen_random_uuid(),
    url text not null,
    events text[] not null,
    description text not null default '',
    secret bytea not null,
    active boolean not null default true,
    created_by uuid,
    created_at timestamptz not null default now(),
    constraint fk_webhook_endpoints_created_by_users foreign key (created_by) references crm.users (id) on delete set null,
    constraint check_webhook_endpoints_url_http check (url ~* '^https?://[^[:space:]/?#]+' and length(url) <= 2048),
    constraint check_webhook_endpoints_events_known check (
      cardinality(events) > 0 and events <@ array[
        'company.created', 'company.updated', 'company.deleted',
        'contact.created', 'contact.updated', 'contact.deleted',
        'deal.created', 'deal.updated', 'deal.deleted', 'deal.stage_changed', 'deal.won', 'deal.lost',
        'activity.created', 'activity.updated', 'activity.deleted',
        'meeting.created', 'meeting.updated', 'meeting.deleted',
        'task.created', 'task.updated', 'task.deleted']),
    constraint check_webhook_endpoints_description_length check (length(description) <= 500)
);
comment on table crm.webhook_endpoints is 'Webhook endpoints registered by admins (/admin/webhooks, crm webhooks add): the URL, the event types it subscribes to, its signing secret (encrypted, dashboard/credentials.py purpose "webhook"; crm_app may write it but never read it back), active while deliveries go out.';
comment on column crm.webhook_endpoints.secret is 'The Standard Webhooks signing secret (whsec_...) sealed with AES-GCM under a key derived from the secret key; shown once at creation, readable only by the worker''s operator role (no SELECT privilege for crm_app).';
create index index_webhook_endpoints_on_created_by on crm.webhook_endpoints (created_by);
comment on index crm.index_webhook_endpoints_on_created_by is 'The created_by foreign key.';
alter table crm.webhook_endpoints enable row level security;
alter table crm.webhook_endpoints force row level security;

create table crm.webhook_events (
    id uuid primary key default gen_random_uuid(),
    type text not null,
    record_id uuid,
    payload jsonb not null,
    occurred_at timestamptz not null default clock_timestamp(),
    constraint check_webhook_events_type check (type = any (array[
        'company.created', 'company.updated', 'company.deleted',
        'contact.created', 'contact.updated', 'contact.deleted',
        'deal.created', 'deal.updated', 'deal.deleted', 'deal.stage_changed', 'deal.won', 'deal.lost',
        'activity.created', 'activity.updated', 'activity.deleted',
        'meeting.created', 'meeting.updated', 'meeting.deleted',
        'task.created', 'task.updated', 'task.deleted', 'webhook.test'])),
    constraint check_webhook_events_payload_object check (jsonb_typeof(payload) = 'object')
);
comment on table crm.webhook_events is 'The webhook outbox: one row per event some active endpoint subscribed to, written by the capture trigger in the same transaction as the change (a rolled-back change leaves none), with the JSON body sent (built from explicit column lists, app.webhook_columns). Its id is the webhook-id header (msg_<hex>), the same on every attempt.';
create index index_webhook_events_on_occurred_at on crm.webhook_events (occurred_at);
comment on index crm.index_webhook_events_on_occurred_at is 'The nightly cleanup of old events.';
alter table crm.webhook_events enable row level security;
alter table crm.webhook_events force row level security;

create table crm.webhook_deliveries (
    id uuid primary key default gen_random_uuid(),
    event_id uuid not null,
    endpoint_id uuid not null,
    status text not null default 'pending',
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    pending_since timestamptz not null default now(),
    last_attempt_at timestamptz,
    created_at timestamptz not null default now(),
    constraint fk_webhook_deliveries_event_id_webhook_events foreign key (event_id) references crm.webhook_events (id) on delete cascade,
    constraint fk_webhook_deliveries_endpoint_id_webhook_endpoints foreign key (endpoint_id) references crm.webhook_endpoints (id) on delete cascade,
    constraint check_webhook_deliveries_status check (status = any (array['pending', 'succeeded', 'failed'])),
    constraint check_webhook_deliveries_attempts_non_negative check (attempts >= 0)
);
comment on table crm.webhook_deliveries is 'One event to one endpoint: pending until an attempt gets a 2xx (succeeded) or the retries of a day from pending_since run out (failed); next_attempt_at is when the worker tries again (exponential backoff). A replay sets it pending again (pending_since: then).';
create unique index index_webhook_deliveries_on_event_id_endpoint_id on crm.webhook_deliveries (event_id, endpoint_id);
comment on index crm.index_webhook_deliveries_on_event_id_endpoint_id is 'Each event is delivered once per endpoint.';
create index index_webhook_deliveries_on_endpoint_id_created_at on crm.webhook_deliveries (endpoint_id, created_at desc);
comment on index crm.index_webhook_deliveries_on_endpoint_id_created_at is 'An endpoint''s recent deliveries (/admin/webhooks); the endpoint_id foreign key.';
create index index_webhook_deliveries_on_next_attempt_at on crm.webhook_deliveries (next_attempt_at) where status = 'pending';
comment on index crm.index_webhook_deliveries_on_next_attempt_at is 'The worker''s next due deliveries.';
alter table crm.webhook_deliveries enable row level security;
alter table crm.webhook_deliveries force row level security;

create table crm.webhook_attempts (
    id bigint generated always as identity primary key,
    delivery_id uuid not null,
    attempted_at timestamptz not null default now(),
    http_status integer,
    duration_ms integer not null,
    error text,
    response_snippet text,
    constraint fk_webhook_attempts_delivery_id_webhook_deliveries foreign key (delivery_id) references crm.webhook_deliveries (id) on delete cascade,
    constraint check_webhook_attempts_duration_non_negative check (duration_ms >= 0),
    constraint check_webhook_attempts_http_status_range check (http_status between 100 and 599),
    constraint check_webhook_attempts_error_length check (length(error) <= 1000),
    constraint check_webhook_attempts_response_snippet_length check (length(response_snippet) <= 1000)
);
comment on table crm.webhook_attempts is 'Each HTTP attempt of a delivery: when, the HTTP status (null when no answer), how long it took, the error (refused address, timeout, connection error, non-2xx) and the start of the response body.';
create index index_webhook_attempts_on_delivery_id on crm.webhook_attempts (delivery_id, attempted_at);
comment on index crm.index_webhook_attempts_on_delivery_id is 'A delivery''s attempts in order; the delivery_id foreign key.';
alter table crm.webhook_attempts enable row level security;
alter table crm.webhook_attempts force row level security;

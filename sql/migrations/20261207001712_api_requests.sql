-- The REST API's own bookkeeping (issue 17): per-token request counts for rate limiting, and the
-- answers to POSTs sent with an Idempotency-Key, so a repeated request gets the first answer.
create table crm.api_rate_windows (
    token_id uuid not null,
    window_start timestamptz not null,
    requests integer not null default 0,
    constraint pk_api_rate_windows primary key (token_id, window_start),
    constraint fk_api_rate_windows_token_id_api_tokens foreign key (token_id) references crm.api_tokens (id) on delete cascade,
    constraint check_api_rate_windows_requests_non_negative check (requests >= 0)
);
comment on table crm.api_rate_windows is 'REST API rate limiting: how many requests a token made in a fixed window starting at window_start (app.take_api_request counts them; older windows are deleted as new ones start).';
alter table crm.api_rate_windows enable row level security;
alter table crm.api_rate_windows force row level security;

create table crm.api_idempotency_keys (
    token_id uuid not null,
    key text not null,
    user_id uuid not null,
    request_hash bytea not null,
    status integer not null,
    body jsonb not null,
    location text,
    created_at timestamptz not null default now(),
    constraint pk_api_idempotency_keys primary key (token_id, key),
    constraint fk_api_idempotency_keys_token_id_api_tokens foreign key (token_id) references crm.api_tokens (id) on delete cascade,
    constraint fk_api_idempotency_keys_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint check_api_idempotency_keys_key_length check (char_length(key) between 1 and 255),
    constraint check_api_idempotency_keys_request_hash_length check (length(request_hash) = 32),
    constraint check_api_idempotency_keys_status_range check (status between 200 and 599)
);
comment on table crm.api_idempotency_keys is 'REST API: the first answer (status, body, Location) to a POST sent with an Idempotency-Key, per token; written in the same transaction as the change it answers; request_hash (sha256 of method, path and body) tells a repeat from a different request under the same key. Kept a day.';
create index index_api_idempotency_keys_on_user_id on crm.api_idempotency_keys (user_id);
comment on index crm.index_api_idempotency_keys_on_user_id is 'The user foreign key.';
create index index_api_idempotency_keys_on_created_at on crm.api_idempotency_keys (created_at);
comment on index crm.index_api_idempotency_keys_on_created_at is 'The nightly cleanup of keys older than a day.';
alter table crm.api_idempotency_keys enable row level security;
alter table crm.api_idempotency_keys force row level security;

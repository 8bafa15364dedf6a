-- Personal access tokens for the REST API (issue 17). Like sessions, only a token's sha256 is stored
-- and crm_app never reads it: app.create_api_token hands the token out once, app.current_user_id()
-- resolves a token a transaction presents (app.api_token), app.api_token_status explains a refusal.
create table crm.api_tokens (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    name text not null,
    scope text not null default 'read',
    token_hash bytea not null,
    prefix text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz,
    constraint fk_api_tokens_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint unique_api_tokens_token_hash unique (token_hash),
    constraint check_api_tokens_scope check (scope in ('read', 'write')),
    constraint check_api_tokens_name_length check (char_length(btrim(name)) between 1 and 100),
    constraint check_api_tokens_token_hash_length check (length(token_hash) = 32),
    constraint check_api_tokens_prefix_length check (char_length(prefix) between 8 and 16),
    constraint check_api_tokens_expiry_after_creation check (expires_at is null or expires_at > created_at)
);
comment on table crm.api_tokens is 'Personal access tokens of the REST API: a user''s named, scoped (read or write), revocable bearer tokens. Only the sha256 of a token is kept (token_hash, unreadable by crm_app); prefix is its first characters, to recognise it in a list.';
comment on index crm.unique_api_tokens_token_hash is 'The lookup of a presented token by its hash (app.current_user_id, app.api_token_status).';
create index index_api_tokens_on_user_id on crm.api_tokens (user_id);
comment on index crm.index_api_tokens_on_user_id is 'A user''s tokens (the account page, the CLI) and the user foreign key.';
alter table crm.api_tokens enable row level security;
alter table crm.api_tokens force row level security;

-- Private calendar feeds (issue 18): a user's meetings and task due dates as an ICS file at
-- /calendar/<token>.ics, for any calendar app to subscribe to. The token is the credential: only its
-- sha256 is stored, it resolves the user inside the database (app.open_calendar_feed, a definer function)
-- and a revoked one answers 404. One live feed per user; re-issuing revokes the old one.

create table crm.calendar_feeds (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    token_hash bytea not null,  -- sha256 of the token; the token itself is never stored
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    constraint fk_calendar_feeds_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint unique_calendar_feeds_token_hash unique (token_hash),
    constraint check_calendar_feeds_token_hash_length check (length(token_hash) = 32),
    constraint check_calendar_feeds_revoked_after_creation check (revoked_at is null or revoked_at >= created_at)
);
comment on table crm.calendar_feeds is 'Private ICS feed tokens (sha256 only), one live per user: /calendar/<token>.ics lists the user''s meetings and task due dates. Written only by definer functions (app.issue_calendar_feed, app.revoke_calendar_feed, app.open_calendar_feed); crm_app reads its own rows without the hash.';
comment on column crm.calendar_feeds.token_hash is 'sha256 of the feed token (app.token_hash); the token is shown once, when issued.';
comment on column crm.calendar_feeds.last_used_at is 'When a calendar app last read the feed.';
comment on column crm.calendar_feeds.revoked_at is 'When the feed was revoked or replaced; its URL then answers 404.';
create unique index unique_calendar_feeds_live_user_id on crm.calendar_feeds (user_id) where revoked_at is null;
comment on index crm.unique_calendar_feeds_live_user_id is 'At most one live feed per user.';
create index index_calendar_feeds_on_user_id on crm.calendar_feeds (user_id);
comment on index crm.index_calendar_feeds_on_user_id is 'A user''s feeds (the foreign key; cascade on user deletion).';
alter table crm.calendar_feeds enable row level security;
alter table crm.calendar_feeds force row level security;

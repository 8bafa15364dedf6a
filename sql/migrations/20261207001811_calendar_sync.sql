-- CalDAV sync of a connected calendar (issue 18): the connection (its password encrypted, never readable by
-- crm_app), the link between each calendar event occurrence and the meeting it became (or came from), and
-- the conflicts met (an event changed on both sides: the newer change is kept).

create table crm.calendar_connections (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    caldav_url text not null,
    username text not null,
    password_encrypted bytea not null,  -- dashboard/credentials.py, purpose 'calendar'
    status text not null default 'pending',
    status_message text,
    failures integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_attempt_at timestamptz,
    last_success_at timestamptz,
    sync_token text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fk_calendar_connections_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint unique_calendar_connections_user_id unique (user_id),
    constraint check_calendar_connections_status
        check (status in ('pending', 'ok', 'auth_failed', 'unreachable', 'error')),
    constraint check_calendar_connections_url check (caldav_url ~ '^https?://[^/@\s]+' and length(caldav_url) <= 2000),
    constraint check_calendar_connections_username check (btrim(username) <> '' and length(username) <= 320),
    constraint check_calendar_connections_failures_non_negative check (failures >= 0),
    constraint check_calendar_connections_status_message_length check (length(status_message) <= 1000)
);
comment on table crm.calendar_connections is 'A user''s connected CalDAV calendar (one per user): URL, user name, the password encrypted (crm_app may write it but never select it), the sync status shown on /account/calendar, the retry schedule (failures, next_attempt_at: exponential backoff) and the server''s sync token.';
comment on column crm.calendar_connections.caldav_url is 'The calendar collection''s URL (http or https; no password in it).';
comment on column crm.calendar_connections.password_encrypted is 'The password sealed by dashboard/credentials.py (AES-GCM, key derived from the secret key, purpose calendar); only the job worker decrypts it.';
comment on column crm.calendar_connections.status is 'pending (never synced), ok, auth_failed (wrong user name or password), unreachable (no answer), error (anything else); status_message says more.';
comment on column crm.calendar_connections.next_attempt_at is 'When the periodic dispatcher next syncs it: after a success the sync interval, after failures an exponential backoff.';
comment on column crm.calendar_connections.sync_token is 'The server''s sync token after the last sync (RFC 6578): the next sync asks only for what changed since.';

create table crm.calendar_events (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    uid text not null,
    occurrence text not null default '',
    href text not null,
    etag text,
    meeting_id uuid,
    meeting_version integer,
    remote_modified timestamptz,
    origin text not null,
    cancelled boolean not null default false,
    synced_at timestamptz not null default now(),
    constraint fk_calendar_events_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint fk_calendar_events_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete set null,
    constraint unique_calendar_events_user_uid_occurrence unique (user_id, uid, occurrence),
    constraint check_calendar_events_origin check (origin in ('calendar', 'crm')),
    constraint check_calendar_events_uid_length check (length(uid) between 1 and 1000)
);
comment on table crm.calendar_events is 'One row per synced calendar event occurrence: its UID and occurrence key (empty for a single event; the original start in UTC for an occurrence of a recurring one), the object''s href and etag, the meeting it is linked to and that meeting''s version at the last sync (a higher version: changed in the CRM since), the event''s last modification, where it came from (calendar or crm) and whether it is cancelled.';
comment on column crm.calendar_events.occurrence is 'Empty for a single event; for an occurrence of a recurring event its RECURRENCE-ID in UTC (ISO 8601): stable while the occurrence is moved.';
comment on column crm.calendar_events.meeting_version is 'crm.meetings.version when the meeting and the event last agreed.';
create index index_calendar_events_on_meeting_id on crm.calendar_events (meeting_id);
comment on index crm.index_calendar_events_on_meeting_id is 'The event of a meeting (push of CRM changes; the foreign key).';
create index index_calendar_events_on_user_id_and_href on crm.calendar_events (user_id, href);
comment on index crm.index_calendar_events_on_user_id_and_href is 'The occurrences of a calendar object (a changed or deleted href).';

create table crm.calendar_conflicts (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    meeting_id uuid,
    uid text not null,
    kept text not null,
    calendar_changed_at timestamptz,
    crm_changed_at timestamptz,
    details text not null,
    occurred_at timestamptz not null default now(),
    constraint fk_calendar_conflicts_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint fk_calendar_conflicts_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete set null,
    constraint check_calendar_conflicts_kept check (kept in ('calendar', 'crm')),
    constraint check_calendar_conflicts_details_length check (length(details) <= 2000)
);
comment on table crm.calendar_conflicts is 'An event changed both in the calendar and in the CRM since the last sync: which side was kept (the newer change), when each changed, and what differed. Shown on /account/calendar.';
create index index_calendar_conflicts_on_user_id on crm.calendar_conflicts (user_id, occurred_at desc);
comment on index crm.index_calendar_conflicts_on_user_id is 'A user''s latest conflicts (the account page; the foreign key).';
create index index_calendar_conflicts_on_meeting_id on crm.calendar_conflicts (meeting_id);
comment on index crm.index_calendar_conflicts_on_meeting_id is 'The foreign key to meetings.';

alter table crm.calendar_connections enable row level security;
alter table crm.calendar_connections force row level security;
alter table crm.calendar_events enable row level security;
alter table crm.calendar_events force row level security;
alter table crm.calendar_conflicts enable row level security;
alter table crm.calendar_conflicts force row level security;

-- Mailbox sync (issue 18): a user's IMAP connection, the messages synced from it, the addresses offered
-- as new contacts and the addresses and domains never to log. The password is stored encrypted
-- (dashboard/credentials.py) and crm_app may write it but never read it back (column privileges,
-- sql/grants/mail.sql): only the job worker, with the operator's role, reads and decrypts it.
create table crm.mail_accounts (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    imap_url text not null,
    password_encrypted bytea not null,
    status text not null default 'pending',
    status_message text,
    folder_state jsonb not null default '{}'::jsonb,
    failures integer not null default 0,
    next_attempt_at timestamptz default now(),
    last_attempt_at timestamptz,
    last_synced_at timestamptz,
    messages_logged integer not null default 0,
    messages_skipped integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version integer not null default 1,
    constraint fk_mail_accounts_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint unique_mail_accounts_user_id unique (user_id),
    constraint check_mail_accounts_status check (status in ('pending', 'ok', 'auth_failed', 'unreachable', 'failing', 'credentials_unreadable')),
    constraint check_mail_accounts_imap_url check (imap_url ~ '^imaps?://[^/\s]+@[^/@\s]+(/[^\s]*)?$' and length(imap_url) <= 500),
    constraint check_mail_accounts_status_message_length check (length(status_message) <= 500),
    constraint check_mail_accounts_folder_state_object check (jsonb_typeof(folder_state) = 'object'),
    constraint check_mail_accounts_counts_non_negative check (failures >= 0 and messages_logged >= 0 and messages_skipped >= 0)
);
comment on table crm.mail_accounts is 'A user''s connected mailbox (one per user): the IMAP URL (imaps://user@host:port/INBOX, no password), the password encrypted with a key derived from the secret key (unreadable to crm_app), the sync''s status and backoff (failures, next_attempt_at), and per folder its UIDVALIDITY and last UID synced (folder_state).';
comment on column crm.mail_accounts.password_encrypted is 'dashboard/credentials.encrypt_secret(password, purpose="mail"): AES-256-GCM under an HKDF key from the secret key. crm_app may insert and update it, never select it.';
comment on column crm.mail_accounts.folder_state is '{"<folder>": {"uidvalidity": n, "last_uid": n}} for INBOX and the sent folder: the next sync fetches only UIDs above last_uid (all again when UIDVALIDITY changed; Message-IDs keep it idempotent).';
comment on column crm.mail_accounts.next_attempt_at is 'When the periodic sync may try again: a few minutes after a success, later and later (doubling) after failures; null: never (credentials unreadable, reconnect).';

create table crm.mail_messages (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    message_id text not null,
    folder text not null,
    uid bigint not null,
    direction text,
    activity_id uuid,
    contact_id uuid,
    skip_reason text,
    synced_at timestamptz not null default now(),
    constraint fk_mail_messages_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint fk_mail_messages_activity_id_activities foreign key (activity_id) references crm.activities (id) on delete set null,
    constraint fk_mail_messages_contact_id_contacts foreign key (contact_id) references crm.contacts (id) on delete set null,
    constraint check_mail_messages_direction check (direction in ('inbound', 'outbound')),
    constraint check_mail_messages_message_id_length check (length(message_id) between 1 and 1000),
    constraint check_mail_messages_skip_reason_length check (length(skip_reason) <= 500),
    constraint check_mail_messages_logged_or_skipped check ((skip_reason is null) = (direction is not null))
);
comment on table crm.mail_messages is 'Each message a mailbox sync logged (direction, the activity it became, the contact it was linked to) or skipped (skip_reason: malformed, invalid charset, too large), once per user and Message-ID: a re-sync, or the same message in INBOX and Sent, creates nothing twice. Kept when the activity is deleted (it is not logged again).';
create unique index index_mail_messages_on_user_id_message_id on crm.mail_messages (user_id, message_id);
comment on index crm.index_mail_messages_on_user_id_message_id is 'One row per user and Message-ID (the sync''s idempotency); serves the user foreign key.';
create index index_mail_messages_on_activity_id on crm.mail_messages (activity_id) where activity_id is not null;
comment on index crm.index_mail_messages_on_activity_id is 'The activity foreign key.';
create index index_mail_messages_on_contact_id on crm.mail_messages (contact_id) where contact_id is not null;
comment on index crm.index_mail_messages_on_contact_id is 'The contact foreign key.';
create index index_mail_messages_skipped on crm.mail_messages (user_id, synced_at desc) where skip_reason is not null;
comment on index crm.index_mail_messages_skipped is 'A user''s skipped messages, newest first (the account page).';

create table crm.mail_contact_suggestions (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    email text not null,
    display_name text,
    company_id uuid not null,
    status text not null default 'open',
    messages integer not null default 1,
    last_seen_at timestamptz not null default now(),
    contact_id uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fk_mail_contact_suggestions_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint fk_mail_contact_suggestions_company_id_companies foreign key (company_id) references crm.companies (id) on delete cascade,
    constraint fk_mail_contact_suggestions_contact_id_contacts foreign key (contact_id) references crm.contacts (id) on delete set null,
    constraint check_mail_contact_suggestions_status check (status in ('open', 'accepted', 'dismissed')),
    constraint check_mail_contact_suggestions_email check (email = lower(email) and length(email) <= 320 and email like '%_@_%'),
    constraint check_mail_contact_suggestions_display_name_length check (length(display_name) <= 200),
    constraint check_mail_contact_suggestions_messages_positive check (messages >= 1)
);
comment on table crm.mail_contact_suggestions is 'An address seen in a user''s synced mail that is no contact but is at a known company''s domain: offered on /account/mail as a new contact (accepted: contact_id is the contact made; dismissed: never offered again). Never created silently.';
create unique index index_mail_contact_suggestions_on_user_id_email on crm.mail_contact_suggestions (user_id, email);
comment on index crm.index_mail_contact_suggestions_on_user_id_email is 'One suggestion per user and address; serves the user foreign key.';
create index index_mail_contact_suggestions_on_company_id on crm.mail_contact_suggestions (company_id);
comment on index crm.index_mail_contact_suggestions_on_company_id is 'The company foreign key.';
create index index_mail_contact_suggestions_on_contact_id on crm.mail_contact_suggestions (contact_id) where contact_id is not null;
comment on index crm.index_mail_contact_suggestions_on_contact_id is 'The contact foreign key.';

create table crm.mail_never_log (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    entry text not null,
    created_at timestamptz not null default now(),
    constraint fk_mail_never_log_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint check_mail_never_log_entry check (entry = lower(entry) and length(entry) between 3 and 320
                                                 and entry ~ '^([^@\s]+@)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z0-9-]+$')
);
comment on table crm.mail_never_log is 'A user''s addresses (name@host) and domains (host: itself and its subdomains) whose mail the sync never logs: a message with any such participant is not recorded at all.';
create unique index index_mail_never_log_on_user_id_entry on crm.mail_never_log (user_id, entry);
comment on index crm.index_mail_never_log_on_user_id_entry is 'Each entry once per user; serves the user foreign key.';

alter table crm.mail_accounts enable row level security;
alter table crm.mail_accounts force row level security;
alter table crm.mail_messages enable row level security;
alter table crm.mail_messages force row level security;
alter table crm.mail_contact_suggestions enable row level security;
alter table crm.mail_contact_suggestions force row level security;
alter table crm.mail_never_log enable row level security;
alter table crm.mail_never_log force row level security;

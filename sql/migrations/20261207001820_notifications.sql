-- Reminders and notifications (issue 18): what the periodic task `notify` and the deal-assignment trigger
-- produce for a user (each once: one row per user, kind, record and occurrence), the user's channel per kind
-- (in app, email, both, off; no row: the kind's default) and how their email comes (one message each or a
-- daily digest at a time of their day).
create table crm.notifications (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    kind text not null,
    record_id uuid not null,
    occurrence text not null,
    title text not null,
    at timestamptz,
    detail text,
    in_app boolean not null,
    email_status text not null,
    emailed_at timestamptz,
    read_at timestamptz,
    created_at timestamptz not null default now(),
    constraint fk_notifications_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint check_notifications_kind check (kind in ('task_due', 'meeting_soon', 'deal_stalled', 'deal_assigned', 'webhook_failing')),
    constraint check_notifications_email_status check (email_status in ('none', 'pending', 'digest', 'sent', 'failed', 'expired')),
    constraint check_notifications_delivered check (in_app or email_status <> 'none'),
    constraint check_notifications_title_length check (length(title) <= 300),
    constraint check_notifications_detail_length check (length(detail) <= 300),
    constraint check_notifications_occurrence_length check (length(occurrence) <= 64)
);
comment on table crm.notifications is 'Reminders and notices for one user, each produced once (unique user, kind, record, occurrence): a task due today or overdue, a meeting in 15 minutes, a deal of theirs stalled, a deal assigned to them by someone else, a webhook endpoint failing (admins). in_app: shown under the bell; email_status: none, pending (one message), digest (the daily digest), sent, failed, expired (not sent within a day).';
comment on column crm.notifications.record_id is 'The task, meeting, deal or webhook endpoint the notice is about (no foreign key: the notice outlives a deleted record; its link then answers 404).';
comment on column crm.notifications.occurrence is 'What makes this notice once-only for its record: the due day (task_due), the start instant (meeting_soon), the stage entry instant (deal_stalled), the assignment instant (deal_assigned), the failing day (webhook_failing).';
comment on column crm.notifications.at is 'The instant the notice is about, shown in the reader''s zone: the due day (00:00 UTC), the meeting''s start, the stage entry, the assignment.';
comment on column crm.notifications.detail is 'A short addition: the stage a stalled deal is in, who assigned the deal.';
create unique index index_notifications_once on crm.notifications (user_id, kind, record_id, occurrence);
comment on index crm.index_notifications_once is 'Each notice once: the dedupe key (user, kind, record, occurrence); also the user foreign key''s index.';
create index index_notifications_in_app_by_time on crm.notifications (user_id, created_at desc, id) where in_app;
comment on index crm.index_notifications_in_app_by_time is 'A user''s notification list, newest first.';
create index index_notifications_unread on crm.notifications (user_id) where in_app and read_at is null;
comment on index crm.index_notifications_unread is 'The bell''s unread count.';
create index index_notifications_email_queue on crm.notifications (user_id, created_at) where email_status in ('pending', 'digest');
comment on index crm.index_notifications_email_queue is 'Notices whose email is still to go (one message each, or the next digest).';
alter table crm.notifications enable row level security;
alter table crm.notifications force row level security;

create table crm.notification_preferences (
    user_id uuid not null,
    kind text not null,
    channel text not null,
    updated_at timestamptz not null default now(),
    primary key (user_id, kind),
    constraint fk_notification_preferences_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint check_notification_preferences_kind check (kind in ('task_due', 'meeting_soon', 'deal_stalled', 'deal_assigned', 'webhook_failing')),
    constraint check_notification_preferences_channel check (channel in ('in_app', 'email', 'both', 'off'))
);
comment on table crm.notification_preferences is 'A user''s choice of channel for one kind of notification (in_app, email, both, off); a kind without a row takes its default (crm.notification_default_channel).';
alter table crm.notification_preferences enable row level security;
alter table crm.notification_preferences force row level security;

create table crm.notification_settings (
    user_id uuid primary key,
    email_mode text not null default 'each',
    digest_time time not null default '08:00',
    digest_sent_on date,
    updated_at timestamptz not null default now(),
    constraint fk_notification_settings_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint check_notification_settings_email_mode check (email_mode in ('each', 'digest')),
    constraint check_notification_settings_digest_minute check (date_trunc('minute', digest_time) = digest_time)
);
comment on table crm.notification_settings is 'How a user''s notification email comes: one message per notice (each) or a daily digest at digest_time of the user''s day (digest_sent_on: the user''s last day one went). No row: each, 08:00.';
alter table crm.notification_settings enable row level security;
alter table crm.notification_settings force row level security;

create index index_deals_open_by_stage_entry on crm.deals (stage_id, stage_changed_at) where status = 'active';
comment on index crm.index_deals_open_by_stage_entry is 'Open deals by stage and stage entry: the deals that became stalled lately (crm.produce_notifications).';

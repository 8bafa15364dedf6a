-- Forecasts a manager can commit to (issue 16): each open deal's forecast category, monthly quotas per
-- user, and the forecast snapshot taken on the first of each month.

-- The category a deal's owner forecasts it in while it is open; a won or lost deal is "closed won" or
-- "closed lost" by its status (derived, never stored), and keeps the category it had for a reopening.
alter table crm.deals add column forecast_category text not null default 'pipeline';
alter table crm.deals add constraint check_deals_forecast_category
    check (forecast_category in ('pipeline', 'best_case', 'commit'));
comment on column crm.deals.forecast_category is 'The owner''s forecast category while the deal is open: pipeline, best_case or commit. Closed won / closed lost follow the status and are not stored.';

create table crm.quotas (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    month date not null,
    amount numeric(14,2) not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version integer not null default 1,
    constraint fk_quotas_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint unique_quotas_user_id_and_month unique (user_id, month),
    constraint check_quotas_month_is_first_day check (month = date_trunc('month', month)::date),
    constraint check_quotas_month_range check (month between '2000-01-01' and '2100-12-01'),
    constraint check_quotas_amount_non_negative check (amount >= 0)
);
comment on table crm.quotas is 'The revenue a user is expected to close won in a calendar month (month: its first day). Set by admins, and by managers for the people they manage.';
comment on index crm.unique_quotas_user_id_and_month is 'One quota per user and month; serves the (user, month) reads and the user foreign key.';
alter table crm.quotas enable row level security;
alter table crm.quotas force row level security;

create table crm.forecast_snapshots (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    month date not null,
    quota numeric(14,2),
    closed_won numeric(16,2) not null default 0,
    commit numeric(16,2) not null default 0,
    best_case numeric(16,2) not null default 0,
    pipeline numeric(16,2) not null default 0,
    weighted numeric(16,2) not null default 0,
    deals integer not null default 0,
    taken_at timestamptz not null default now(),
    constraint fk_forecast_snapshots_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint unique_forecast_snapshots_user_id_and_month unique (user_id, month),
    constraint check_forecast_snapshots_month_is_first_day check (month = date_trunc('month', month)::date),
    constraint check_forecast_snapshots_amounts_non_negative
        check (coalesce(quota, 0) >= 0 and closed_won >= 0 and commit >= 0 and best_case >= 0 and pipeline >= 0
               and weighted >= 0 and deals >= 0)
);
comment on table crm.forecast_snapshots is 'Each user''s forecast for a month as it stood when the month''s snapshot was taken (crm.take_forecast_snapshot, on the first of the month): quota, closed won so far, open deals closing that month by category (commit, best_case, pipeline), their AI-weighted value and count. One row per user and month; never updated.';
comment on index crm.unique_forecast_snapshots_user_id_and_month is 'One snapshot row per user and month; serves the user foreign key.';
create index index_forecast_snapshots_on_month on crm.forecast_snapshots (month);
comment on index crm.index_forecast_snapshots_on_month is 'Whether a month has its snapshot, and the months a page shows.';
alter table crm.forecast_snapshots enable row level security;
alter table crm.forecast_snapshots force row level security;

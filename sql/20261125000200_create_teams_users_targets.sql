-- People: teams, users (with role, lockout and session-version fields) and
-- their monthly targets.

create table crm.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text,
  manager_id uuid,  -- foreign key added below, once users exists
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_teams_name_not_blank check (btrim(name) <> '' and length(name) <= 120)
);
comment on table crm.teams is 'Sales teams; a manager reads the rows of the team members.';
create unique index unique_teams_lower_name on crm.teams (lower(name));

create table crm.users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  full_name text not null,
  password_hash text,
  role text not null default 'rep',
  team_id uuid,
  manager_id uuid,
  is_active boolean not null default true,
  ai_features boolean not null default false,
  failed_login_count integer not null default 0,
  locked_until timestamptz,
  session_version integer not null default 1,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_users_role check (role in ('rep', 'manager', 'admin')),
  constraint check_users_email_format check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' and length(email) <= 254),
  constraint check_users_full_name_not_blank check (btrim(full_name) <> '' and length(full_name) <= 200),
  constraint check_users_failed_login_count_non_negative check (failed_login_count >= 0),
  constraint check_users_session_version_positive check (session_version >= 1),
  constraint check_users_not_own_manager check (manager_id is distinct from id),
  constraint fk_users_team_id_teams foreign key (team_id) references crm.teams (id) on delete set null,
  constraint fk_users_manager_id_users foreign key (manager_id) references crm.users (id) on delete set null
);
comment on table crm.users is 'People who log in: reps, managers and admins. password_hash is argon2id; null means no password login.';
comment on column crm.users.session_version is 'Bumped on logout-everywhere, password change and deactivation; cookies carrying an older value are refused.';
create unique index unique_users_lower_email on crm.users (lower(email));
create index index_users_on_team_id on crm.users (team_id);
create index index_users_on_manager_id on crm.users (manager_id);

alter table crm.teams
  add constraint fk_teams_manager_id_users foreign key (manager_id) references crm.users (id) on delete set null;
create index index_teams_on_manager_id on crm.teams (manager_id);

create table crm.targets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  month date not null,
  revenue_target numeric(14,2) not null default 0,
  outbound_target integer not null default 0,
  meetings_target integer not null default 0,
  proposals_target integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_targets_month_is_first_day check (month = date_trunc('month', month)::date),
  constraint check_targets_revenue_non_negative check (revenue_target >= 0),
  constraint check_targets_outbound_non_negative check (outbound_target >= 0),
  constraint check_targets_meetings_non_negative check (meetings_target >= 0),
  constraint check_targets_proposals_non_negative check (proposals_target >= 0),
  constraint fk_targets_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
  constraint unique_targets_user_id_and_month unique (user_id, month)
);
comment on table crm.targets is 'Monthly targets per user (revenue, outbound, meetings, proposals) for the dashboard KPI cards.';

create trigger set_updated_at before update on crm.teams for each row execute function app.set_updated_at();
create trigger set_updated_at before update on crm.users for each row execute function app.set_updated_at();
create trigger set_updated_at before update on crm.targets for each row execute function app.set_updated_at();

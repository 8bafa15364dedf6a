-- Saved views (issue 15): a user names a list's filters (the query string), may share the view with
-- their team and make one view per list their default (the list opens with it when no filter is given).
create table crm.saved_views (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    team_id uuid,
    list text not null,
    name text not null,
    query text not null default '',
    shared boolean not null default false,
    is_default boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fk_saved_views_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint fk_saved_views_team_id_teams foreign key (team_id) references crm.teams (id) on delete set null,
    constraint check_saved_views_list check (list in ('tasks', 'deals', 'companies', 'contacts', 'activities', 'meetings')),
    constraint check_saved_views_name_length check (length(btrim(name)) between 1 and 80),
    constraint check_saved_views_query_length check (length(query) <= 2000),
    constraint check_saved_views_shared_with_a_team check (not shared or team_id is not null)
);
comment on table crm.saved_views is 'A user''s named list filters: the list, the query string it applies, whether it is shared with the owner''s team (team_id, the team when it was shared) and whether it is the owner''s default for that list (at most one).';
comment on column crm.saved_views.query is 'The list''s query string without page (e.g. status=open&sort=due&dir=asc); the app parses it with the list''s own filters, so nothing in it reaches SQL but as bound parameters.';
create unique index index_saved_views_on_user_id_list_name on crm.saved_views (user_id, list, lower(name));
comment on index crm.index_saved_views_on_user_id_list_name is 'One name per user and list (case-insensitive); serves the list of a user''s views.';
create unique index index_saved_views_one_default on crm.saved_views (user_id, list) where is_default;
comment on index crm.index_saved_views_one_default is 'At most one default view per user and list.';
create index index_saved_views_on_team_id on crm.saved_views (team_id, list) where shared;
comment on index crm.index_saved_views_on_team_id is 'The views shared with a team (and the team foreign key).';
alter table crm.saved_views enable row level security;
alter table crm.saved_views force row level security;

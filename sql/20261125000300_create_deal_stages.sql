-- The pipeline: ordered stages with a default win probability.

create table crm.deal_stages (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  color text not null default '#64748b',
  position integer not null,
  default_probability integer not null,
  is_won boolean not null default false,
  is_lost boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_deal_stages_name_not_blank check (btrim(name) <> '' and length(name) <= 60),
  constraint check_deal_stages_color_hex check (color ~ '^#[0-9a-fA-F]{6}$'),
  constraint check_deal_stages_probability_range check (default_probability between 0 and 100),
  constraint check_deal_stages_not_won_and_lost check (not (is_won and is_lost)),
  constraint unique_deal_stages_position unique (position)
);
comment on table crm.deal_stages is 'Pipeline stages in board order; won/lost stages close a deal.';
create unique index unique_deal_stages_lower_name on crm.deal_stages (lower(name));
create trigger set_updated_at before update on crm.deal_stages for each row execute function app.set_updated_at();

-- fixed ids for the default stages, so every installation (and every demo
-- load for a seed) refers to them identically
insert into crm.deal_stages (id, name, color, position, default_probability, is_won, is_lost) values
  ('00000000-0000-4000-8000-000000000010', 'Lead',        '#64748b', 10,  10, false, false),
  ('00000000-0000-4000-8000-000000000020', 'Qualified',   '#0ea5e9', 20,  25, false, false),
  ('00000000-0000-4000-8000-000000000030', 'Opportunity', '#8b5cf6', 30,  60, false, false),
  ('00000000-0000-4000-8000-000000000040', 'Verbal',      '#f59e0b', 40,  80, false, false),
  ('00000000-0000-4000-8000-000000000050', 'Won',         '#10b981', 50, 100, true,  false),
  ('00000000-0000-4000-8000-000000000060', 'Lost',        '#ef4444', 60,   0, false, true);

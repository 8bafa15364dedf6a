-- The six relationship tables that replace the legacy text links. Each
-- records how the link was found (link_source) so that imports are auditable.

create table crm.company_activities (
  company_id uuid not null,
  activity_id uuid not null,
  relationship_strength numeric(3,2) not null default 1,
  link_source text not null default 'direct',
  created_at timestamptz not null default now(),
  constraint pk_company_activities primary key (company_id, activity_id),
  constraint check_company_activities_strength_range check (relationship_strength between 0 and 1),
  constraint check_company_activities_link_source check (link_source in ('direct', 'contact', 'deal', 'email_domain', 'name_match', 'fuzzy_match', 'manual', 'legacy')),
  constraint fk_company_activities_company_id_companies foreign key (company_id) references crm.companies (id) on delete cascade,
  constraint fk_company_activities_activity_id_activities foreign key (activity_id) references crm.activities (id) on delete cascade
);
comment on table crm.company_activities is 'Activities that concern a company, directly or through its contact or deal; strength weights engagement.';
create index index_company_activities_on_activity_id on crm.company_activities (activity_id);

create table crm.deal_meetings (
  deal_id uuid not null,
  meeting_id uuid not null,
  impact_score numeric(5,2),
  outcome text,
  stage_progression_expected boolean not null default false,
  stakeholders_present integer not null default 0,
  link_source text not null default 'direct',
  created_at timestamptz not null default now(),
  constraint pk_deal_meetings primary key (deal_id, meeting_id),
  constraint check_deal_meetings_impact_range check (impact_score between 0 and 100),
  constraint check_deal_meetings_outcome check (outcome in ('positive', 'neutral', 'negative', 'no_show', 'reschedule', 'cancelled', 'pending')),
  constraint check_deal_meetings_stakeholders_non_negative check (stakeholders_present >= 0),
  constraint check_deal_meetings_link_source check (link_source in ('direct', 'primary_deal', 'inferred', 'manual', 'legacy')),
  constraint fk_deal_meetings_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete cascade,
  constraint fk_deal_meetings_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete cascade
);
comment on table crm.deal_meetings is 'Meetings that moved a deal, with their impact and outcome.';
create index index_deal_meetings_on_meeting_id on crm.deal_meetings (meeting_id);

create table crm.contact_interactions (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null,
  user_id uuid not null,
  activity_id uuid,
  meeting_id uuid,
  interaction_type text not null,
  direction text not null default 'outbound',
  engagement_score numeric(3,2),
  sentiment_score numeric(3,2),
  interaction_date timestamptz not null,
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_contact_interactions_type check (interaction_type in ('email', 'call', 'meeting', 'social', 'text', 'other')),
  constraint check_contact_interactions_direction check (direction in ('inbound', 'outbound')),
  constraint check_contact_interactions_engagement_range check (engagement_score between 0 and 1),
  constraint check_contact_interactions_sentiment_range check (sentiment_score between -1 and 1),
  constraint check_contact_interactions_notes_length check (length(notes) <= 20000),
  constraint fk_contact_interactions_contact_id_contacts foreign key (contact_id) references crm.contacts (id) on delete cascade,
  constraint fk_contact_interactions_user_id_users foreign key (user_id) references crm.users (id) on delete restrict,
  constraint fk_contact_interactions_activity_id_activities foreign key (activity_id) references crm.activities (id) on delete cascade,
  constraint fk_contact_interactions_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete cascade
);
comment on table crm.contact_interactions is 'Touches with a contact (from activities, meetings or logged directly); feeds contact engagement.';
create index index_contact_interactions_on_contact_id_and_date on crm.contact_interactions (contact_id, interaction_date desc);
create index index_contact_interactions_on_user_id_and_date on crm.contact_interactions (user_id, interaction_date desc);
create unique index unique_contact_interactions_contact_id_and_activity_id on crm.contact_interactions (contact_id, activity_id);
create index index_contact_interactions_on_activity_id on crm.contact_interactions (activity_id);
create index index_contact_interactions_on_meeting_id on crm.contact_interactions (meeting_id);
create trigger set_updated_at before update on crm.contact_interactions for each row execute function app.set_updated_at();

create table crm.deal_stakeholders (
  id uuid primary key default gen_random_uuid(),
  deal_id uuid not null,
  contact_id uuid not null,
  role text not null default 'other',
  influence_level text not null default 'medium',
  relationship_strength numeric(3,2),
  is_champion boolean not null default false,
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_deal_stakeholders_role check (role in ('decision_maker', 'influencer', 'champion', 'gatekeeper', 'technical_evaluator', 'budget_holder', 'end_user', 'procurement', 'legal', 'other')),
  constraint check_deal_stakeholders_influence check (influence_level in ('low', 'medium', 'high', 'critical')),
  constraint check_deal_stakeholders_strength_range check (relationship_strength between 0 and 1),
  constraint check_deal_stakeholders_notes_length check (length(notes) <= 5000),
  constraint fk_deal_stakeholders_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete cascade,
  constraint fk_deal_stakeholders_contact_id_contacts foreign key (contact_id) references crm.contacts (id) on delete cascade,
  constraint unique_deal_stakeholders_deal_id_and_contact_id unique (deal_id, contact_id)
);
comment on table crm.deal_stakeholders is 'The buying committee of a deal: role, influence, relationship strength, champion.';
create index index_deal_stakeholders_on_contact_id on crm.deal_stakeholders (contact_id);
create trigger set_updated_at before update on crm.deal_stakeholders for each row execute function app.set_updated_at();

create table crm.activity_meetings (
  activity_id uuid not null,
  meeting_id uuid not null,
  created_at timestamptz not null default now(),
  constraint pk_activity_meetings primary key (activity_id, meeting_id),
  constraint fk_activity_meetings_activity_id_activities foreign key (activity_id) references crm.activities (id) on delete cascade,
  constraint fk_activity_meetings_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete cascade
);
comment on table crm.activity_meetings is 'Activities that came from a meeting (its follow-up, the meeting activity itself).';
create index index_activity_meetings_on_meeting_id on crm.activity_meetings (meeting_id);

create table crm.meeting_sequences (
  id uuid primary key default gen_random_uuid(),
  deal_id uuid not null,
  meeting_id uuid not null,
  sequence_number integer not null,
  previous_meeting_id uuid,
  days_since_previous integer,
  created_at timestamptz not null default now(),
  constraint check_meeting_sequences_number_positive check (sequence_number >= 1),
  constraint check_meeting_sequences_days_non_negative check (days_since_previous >= 0),
  constraint check_meeting_sequences_not_own_previous check (previous_meeting_id is distinct from meeting_id),
  constraint fk_meeting_sequences_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete cascade,
  constraint fk_meeting_sequences_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete cascade,
  constraint fk_meeting_sequences_previous_meeting_id_meetings foreign key (previous_meeting_id) references crm.meetings (id) on delete set null,
  constraint unique_meeting_sequences_deal_id_and_meeting_id unique (deal_id, meeting_id),
  constraint unique_meeting_sequences_deal_id_and_sequence_number unique (deal_id, sequence_number)
);
comment on table crm.meeting_sequences is 'The order of a deal''s meetings (1st, 2nd, ...) and the gap between them.';
create index index_meeting_sequences_on_meeting_id on crm.meeting_sequences (meeting_id);
create index index_meeting_sequences_on_previous_meeting_id on crm.meeting_sequences (previous_meeting_id);

-- Accounts and the people at them, with their intelligence fields.
-- Scores are computed (see the scoring migrations), never typed in.

create table crm.companies (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  domain text,
  industry text,
  size text,
  website text,
  address text,
  phone text,
  description text,
  owner_id uuid not null,
  industry_confidence_score numeric(3,2),
  annual_revenue bigint,
  employee_count integer,
  technology_stack text[] not null default '{}',
  engagement_score numeric(5,2) not null default 0,
  lead_score numeric(5,2) not null default 0,
  last_engagement_date timestamptz,
  is_target_account boolean not null default false,
  account_tier text not null default 'smb',
  social_media_urls jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_companies_name_not_blank check (btrim(name) <> '' and length(name) <= 200),
  constraint check_companies_domain_format check (domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$' and length(domain) <= 253),
  constraint check_companies_size check (size in ('startup', 'small', 'medium', 'large', 'enterprise')),
  constraint check_companies_website_http check (website ~* '^https?://[^[:space:]]+$' and length(website) <= 2048),
  constraint check_companies_industry_confidence_range check (industry_confidence_score between 0 and 1),
  constraint check_companies_annual_revenue_non_negative check (annual_revenue >= 0),
  constraint check_companies_employee_count_non_negative check (employee_count >= 0),
  constraint check_companies_engagement_score_range check (engagement_score between 0 and 100),
  constraint check_companies_lead_score_range check (lead_score between 0 and 100),
  constraint check_companies_account_tier check (account_tier in ('enterprise', 'mid-market', 'smb', 'startup')),
  constraint check_companies_social_media_urls_object check (jsonb_typeof(social_media_urls) = 'object'),
  constraint fk_companies_owner_id_users foreign key (owner_id) references crm.users (id) on delete restrict
);
comment on table crm.companies is 'Accounts. domain is stored lower-case and unique; engagement_score and lead_score are computed.';
create unique index unique_companies_domain on crm.companies (domain);
-- owner + score: "my companies by engagement" on lists and the dashboard
create index index_companies_on_owner_id_and_engagement_score on crm.companies (owner_id, engagement_score desc);
create index index_companies_on_name_trgm on crm.companies using gin (lower(name) crm.gin_trgm_ops);
create index index_companies_on_technology_stack on crm.companies using gin (technology_stack);
create index index_companies_on_social_media_urls on crm.companies using gin (social_media_urls);
create index index_companies_on_is_target_account on crm.companies (owner_id) where is_target_account;
create trigger set_updated_at before update on crm.companies for each row execute function app.set_updated_at();

create table crm.contacts (
  id uuid primary key default gen_random_uuid(),
  first_name text not null,
  last_name text not null default '',
  email text,
  phone text,
  title text,
  company_id uuid,
  owner_id uuid not null,
  job_seniority text,
  decision_maker_score numeric(3,2) not null default 0,
  engagement_score numeric(5,2) not null default 0,
  social_media_urls jsonb not null default '{}',
  skills text[] not null default '{}',
  interaction_count integer not null default 0,
  last_interaction_date timestamptz,
  preferred_contact_method text not null default 'email',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_contacts_first_name_not_blank check (btrim(first_name) <> '' and length(first_name) <= 100),
  constraint check_contacts_last_name_length check (length(last_name) <= 100),
  constraint check_contacts_email_format check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' and length(email) <= 254),
  constraint check_contacts_job_seniority check (job_seniority in ('entry', 'mid', 'senior', 'executive', 'c-level')),
  constraint check_contacts_decision_maker_score_range check (decision_maker_score between 0 and 1),
  constraint check_contacts_engagement_score_range check (engagement_score between 0 and 100),
  constraint check_contacts_social_media_urls_object check (jsonb_typeof(social_media_urls) = 'object'),
  constraint check_contacts_interaction_count_non_negative check (interaction_count >= 0),
  constraint check_contacts_preferred_contact_method check (preferred_contact_method in ('email', 'phone', 'linkedin', 'text')),
  constraint fk_contacts_company_id_companies foreign key (company_id) references crm.companies (id) on delete set null,
  constraint fk_contacts_owner_id_users foreign key (owner_id) references crm.users (id) on delete restrict
);
comment on table crm.contacts is 'People at accounts. email is unique case-insensitively; engagement and decision-maker scores are computed.';
create unique index unique_contacts_lower_email on crm.contacts (lower(email));
create index index_contacts_on_company_id on crm.contacts (company_id);
create index index_contacts_on_owner_id_and_engagement_score on crm.contacts (owner_id, engagement_score desc);
create index index_contacts_on_full_name_trgm on crm.contacts
  using gin (lower(first_name || ' ' || last_name) crm.gin_trgm_ops);
create index index_contacts_on_skills on crm.contacts using gin (skills);
create index index_contacts_on_social_media_urls on crm.contacts using gin (social_media_urls);
create trigger set_updated_at before update on crm.contacts for each row execute function app.set_updated_at();

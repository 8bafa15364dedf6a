-- Intelligence storage: the trained win-probability models (in the database,
-- never a file) and a daily score history per company and deal for
-- engagement trends. Scores themselves live on the rows (companies, contacts,
-- deals, activities, meetings, contact_interactions).
--
-- Who writes: only the scoring job (`crm score`, as the superuser) and the
-- rescoring helper app.rescore_after_write() (SECURITY DEFINER, crm_helper,
-- BYPASSRLS). The app role gets SELECT under RLS and no write policy.

create table crm.win_models (
  id uuid primary key default gen_random_uuid(),
  algorithm text not null,
  -- logistic model as data (feature names, scaler mean/scale, coefficients,
  -- intercept): predictions run in SQL, nothing is unpickled
  model jsonb,
  metrics jsonb not null default '{}',
  closed_deals integer not null,
  won_deals integer not null,
  lost_deals integer not null,
  trained_at timestamptz not null default now(),
  as_of timestamptz not null,
  constraint check_win_models_algorithm check (algorithm in ('logistic_regression', 'stage_default')),
  constraint check_win_models_model_object check (model is null or jsonb_typeof(model) = 'object'),
  constraint check_win_models_model_present check ((algorithm = 'stage_default') = (model is null)),
  constraint check_win_models_metrics_object check (jsonb_typeof(metrics) = 'object'),
  constraint check_win_models_counts check (closed_deals >= 0 and won_deals >= 0 and lost_deals >= 0
                                            and won_deals + lost_deals = closed_deals)
);
comment on table crm.win_models is 'Win-probability models trained by `crm score`; the newest row is used. stage_default = too few closed deals, the stage probability is used.';
create index index_win_models_on_trained_at on crm.win_models (trained_at desc);

create table crm.company_score_history (
  company_id uuid not null,
  day date not null,
  engagement_score numeric(5,2) not null,
  lead_score numeric(5,2) not null,
  recorded_at timestamptz not null default now(),
  constraint pk_company_score_history primary key (company_id, day),
  constraint check_company_score_history_engagement_range check (engagement_score between 0 and 100),
  constraint check_company_score_history_lead_range check (lead_score between 0 and 100),
  constraint fk_company_score_history_company_id_companies foreign key (company_id)
    references crm.companies (id) on delete cascade
);
comment on table crm.company_score_history is 'One row per company per day (upserted by every rescoring that day): the engagement trend.';
create index index_company_score_history_on_day on crm.company_score_history (day);

create table crm.deal_score_history (
  deal_id uuid not null,
  day date not null,
  deal_intelligence_score numeric(5,2) not null,
  win_probability_ai numeric(3,2),
  risk_factor_count integer not null default 0,
  recorded_at timestamptz not null default now(),
  constraint pk_deal_score_history primary key (deal_id, day),
  constraint check_deal_score_history_intelligence_range check (deal_intelligence_score between 0 and 100),
  constraint check_deal_score_history_win_probability_range check (win_probability_ai between 0 and 1),
  constraint check_deal_score_history_risk_count check (risk_factor_count >= 0),
  constraint fk_deal_score_history_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete cascade
);
comment on table crm.deal_score_history is 'One row per deal per day (upserted by every rescoring that day): the deal-score trend.';
create index index_deal_score_history_on_day on crm.deal_score_history (day);

grant select on crm.win_models, crm.company_score_history, crm.deal_score_history to crm_app;

alter table crm.win_models enable row level security;
alter table crm.win_models force row level security;
alter table crm.company_score_history enable row level security;
alter table crm.company_score_history force row level security;
alter table crm.deal_score_history enable row level security;
alter table crm.deal_score_history force row level security;

create policy "win_models: admins read" on crm.win_models
  for select to crm_app using ((select app.is_admin()));
-- history is read with its company/deal (whose own policy decides)
create policy "company_score_history: read with the company" on crm.company_score_history
  for select to crm_app using (exists (select 1 from crm.companies c where c.id = company_id));
create policy "deal_score_history: read with the deal" on crm.deal_score_history
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));

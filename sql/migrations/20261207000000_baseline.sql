-- Baseline: every table, column, index, constraint and seeded row that the 45
-- historic migrations (20261125000100 .. 20261204001700) built, as one file.
--
-- A fresh install runs this file first; a database built by an older main that
-- had applied the last historic migration (20261204001700) records it as
-- applied without running it (dashboard/migrate.py, BASELINE_REPLACES).
-- Functions, views, triggers, policies and grants are not here: they live in
-- the definition files under sql/functions, sql/views, sql/triggers,
-- sql/policies and sql/grants, which the runner applies after the migrations.
-- The one column default that calls a defined function (tasks.created_by =
-- app.current_user_id()) is therefore set in sql/functions/access.sql.
--
-- Row-level security is enabled and forced on every table here; the policies
-- are in sql/policies/.

-- extension: btree_gin

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA crm;

-- extension: pg_trgm

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA crm;

-- table: activities

CREATE TABLE crm.activities (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    type text NOT NULL,
    status text DEFAULT 'completed'::text NOT NULL,
    subject text,
    details text,
    date timestamp with time zone DEFAULT now() NOT NULL,
    amount numeric(14,2),
    quantity integer DEFAULT 1 NOT NULL,
    company_id uuid,
    contact_id uuid,
    deal_id uuid,
    sentiment_score numeric(3,2),
    engagement_quality text,
    outcome_prediction text,
    urgency_score numeric(3,2),
    activity_source text DEFAULT 'manual'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_activities_amount_non_negative CHECK ((amount >= (0)::numeric)),
    CONSTRAINT check_activities_details_length CHECK ((length(details) <= 20000)),
    CONSTRAINT check_activities_engagement_quality CHECK ((engagement_quality = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'excellent'::text]))),
    CONSTRAINT check_activities_outcome_prediction CHECK ((outcome_prediction = ANY (ARRAY['positive'::text, 'neutral'::text, 'negative'::text, 'unclear'::text]))),
    CONSTRAINT check_activities_quantity_positive CHECK ((quantity >= 1)),
    CONSTRAINT check_activities_sentiment_range CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT check_activities_source CHECK ((activity_source = ANY (ARRAY['manual'::text, 'email'::text, 'calendar'::text, 'crm'::text, 'integration'::text, 'import'::text]))),
    CONSTRAINT check_activities_status CHECK ((status = ANY (ARRAY['pending'::text, 'completed'::text, 'cancelled'::text, 'no_show'::text]))),
    CONSTRAINT check_activities_subject_length CHECK ((length(subject) <= 300)),
    CONSTRAINT check_activities_type CHECK ((type = ANY (ARRAY['outbound'::text, 'meeting'::text, 'proposal'::text, 'sale'::text, 'call'::text, 'email'::text, 'note'::text]))),
    CONSTRAINT check_activities_urgency_range CHECK (((urgency_score >= (0)::numeric) AND (urgency_score <= (1)::numeric)))
);

-- comment: TABLE activities

COMMENT ON TABLE crm.activities IS 'Outbound, calls, emails, meetings held, proposals and sales; user_id is the owner. Sentiment and quality are computed.';

-- table: companies

CREATE TABLE crm.companies (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    domain text,
    industry text,
    size text,
    website text,
    address text,
    phone text,
    description text,
    owner_id uuid NOT NULL,
    industry_confidence_score numeric(3,2),
    annual_revenue bigint,
    employee_count integer,
    technology_stack text[] DEFAULT '{}'::text[] NOT NULL,
    engagement_score numeric(5,2) DEFAULT 0 NOT NULL,
    lead_score numeric(5,2) DEFAULT 0 NOT NULL,
    last_engagement_date timestamp with time zone,
    is_target_account boolean DEFAULT false NOT NULL,
    account_tier text DEFAULT 'smb'::text NOT NULL,
    social_media_urls jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_companies_account_tier CHECK ((account_tier = ANY (ARRAY['enterprise'::text, 'mid-market'::text, 'smb'::text, 'startup'::text]))),
    CONSTRAINT check_companies_annual_revenue_non_negative CHECK ((annual_revenue >= 0)),
    CONSTRAINT check_companies_domain_format CHECK (((domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'::text) AND (length(domain) <= 253))),
    CONSTRAINT check_companies_employee_count_non_negative CHECK ((employee_count >= 0)),
    CONSTRAINT check_companies_engagement_score_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (100)::numeric))),
    CONSTRAINT check_companies_industry_confidence_range CHECK (((industry_confidence_score >= (0)::numeric) AND (industry_confidence_score <= (1)::numeric))),
    CONSTRAINT check_companies_lead_score_range CHECK (((lead_score >= (0)::numeric) AND (lead_score <= (100)::numeric))),
    CONSTRAINT check_companies_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200))),
    CONSTRAINT check_companies_size CHECK ((size = ANY (ARRAY['startup'::text, 'small'::text, 'medium'::text, 'large'::text, 'enterprise'::text]))),
    CONSTRAINT check_companies_social_media_urls_object CHECK ((jsonb_typeof(social_media_urls) = 'object'::text)),
    CONSTRAINT check_companies_website_http CHECK (((website ~* '^https?://[^[:space:]]+$'::text) AND (length(website) <= 2048)))
);

-- comment: TABLE companies

COMMENT ON TABLE crm.companies IS 'Accounts. domain is stored lower-case and unique; engagement_score and lead_score are computed.';

-- table: contacts

CREATE TABLE crm.contacts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    first_name text NOT NULL,
    last_name text DEFAULT ''::text NOT NULL,
    email text,
    phone text,
    title text,
    company_id uuid,
    owner_id uuid NOT NULL,
    job_seniority text,
    decision_maker_score numeric(3,2) DEFAULT 0 NOT NULL,
    engagement_score numeric(5,2) DEFAULT 0 NOT NULL,
    social_media_urls jsonb DEFAULT '{}'::jsonb NOT NULL,
    skills text[] DEFAULT '{}'::text[] NOT NULL,
    interaction_count integer DEFAULT 0 NOT NULL,
    last_interaction_date timestamp with time zone,
    preferred_contact_method text DEFAULT 'email'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_contacts_decision_maker_score_range CHECK (((decision_maker_score >= (0)::numeric) AND (decision_maker_score <= (1)::numeric))),
    CONSTRAINT check_contacts_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT check_contacts_engagement_score_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (100)::numeric))),
    CONSTRAINT check_contacts_first_name_not_blank CHECK (((btrim(first_name) <> ''::text) AND (length(first_name) <= 100))),
    CONSTRAINT check_contacts_interaction_count_non_negative CHECK ((interaction_count >= 0)),
    CONSTRAINT check_contacts_job_seniority CHECK ((job_seniority = ANY (ARRAY['entry'::text, 'mid'::text, 'senior'::text, 'executive'::text, 'c-level'::text]))),
    CONSTRAINT check_contacts_last_name_length CHECK ((length(last_name) <= 100)),
    CONSTRAINT check_contacts_preferred_contact_method CHECK ((preferred_contact_method = ANY (ARRAY['email'::text, 'phone'::text, 'linkedin'::text, 'text'::text]))),
    CONSTRAINT check_contacts_social_media_urls_object CHECK ((jsonb_typeof(social_media_urls) = 'object'::text))
);

-- comment: TABLE contacts

COMMENT ON TABLE crm.contacts IS 'People at accounts. email is unique case-insensitively; engagement and decision-maker scores are computed.';

-- table: deal_stages

CREATE TABLE crm.deal_stages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    color text DEFAULT '#64748b'::text NOT NULL,
    "position" integer NOT NULL,
    default_probability integer NOT NULL,
    is_won boolean DEFAULT false NOT NULL,
    is_lost boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_deal_stages_color_hex CHECK ((color ~ '^#[0-9a-fA-F]{6}$'::text)),
    CONSTRAINT check_deal_stages_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 60))),
    CONSTRAINT check_deal_stages_not_won_and_lost CHECK ((NOT (is_won AND is_lost))),
    CONSTRAINT check_deal_stages_probability_range CHECK (((default_probability >= 0) AND (default_probability <= 100)))
);

-- comment: TABLE deal_stages

COMMENT ON TABLE crm.deal_stages IS 'Pipeline stages in board order; won/lost stages close a deal.';

-- table: deals

CREATE TABLE crm.deals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    value numeric(14,2) DEFAULT 0 NOT NULL,
    stage_id uuid NOT NULL,
    owner_id uuid NOT NULL,
    expected_close_date date,
    status text DEFAULT 'active'::text NOT NULL,
    closed_at timestamp with time zone,
    stage_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    company_id uuid,
    primary_contact_id uuid,
    deal_intelligence_score numeric(5,2) DEFAULT 0 NOT NULL,
    win_probability_ai numeric(3,2),
    risk_factors text[] DEFAULT '{}'::text[] NOT NULL,
    opportunity_score numeric(5,2) DEFAULT 0 NOT NULL,
    competitor_analysis jsonb DEFAULT '{}'::jsonb NOT NULL,
    stakeholder_mapping jsonb DEFAULT '{}'::jsonb NOT NULL,
    technical_fit_score numeric(3,2),
    budget_confirmed boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_deals_closed_at_matches_status CHECK (((status = 'active'::text) = (closed_at IS NULL))),
    CONSTRAINT check_deals_competitor_analysis_object CHECK ((jsonb_typeof(competitor_analysis) = 'object'::text)),
    CONSTRAINT check_deals_intelligence_score_range CHECK (((deal_intelligence_score >= (0)::numeric) AND (deal_intelligence_score <= (100)::numeric))),
    CONSTRAINT check_deals_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200))),
    CONSTRAINT check_deals_opportunity_score_range CHECK (((opportunity_score >= (0)::numeric) AND (opportunity_score <= (100)::numeric))),
    CONSTRAINT check_deals_stakeholder_mapping_object CHECK ((jsonb_typeof(stakeholder_mapping) = 'object'::text)),
    CONSTRAINT check_deals_status CHECK ((status = ANY (ARRAY['active'::text, 'won'::text, 'lost'::text]))),
    CONSTRAINT check_deals_technical_fit_range CHECK (((technical_fit_score >= (0)::numeric) AND (technical_fit_score <= (1)::numeric))),
    CONSTRAINT check_deals_value_non_negative CHECK ((value >= (0)::numeric)),
    CONSTRAINT check_deals_win_probability_range CHECK (((win_probability_ai >= (0)::numeric) AND (win_probability_ai <= (1)::numeric)))
)
WITH (fillfactor='70');

-- comment: TABLE deals

COMMENT ON TABLE crm.deals IS 'Opportunities. status and closed_at follow the stage (trigger); scores and risk_factors are computed.';

-- comment: COLUMN deals.stakeholder_mapping

COMMENT ON COLUMN crm.deals.stakeholder_mapping IS 'Validated JSON of "reports to" links between the deal''s stakeholders, saved with the stakeholder map.';

-- table: teams

CREATE TABLE crm.teams (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    manager_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_teams_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 120)))
);

-- comment: TABLE teams

COMMENT ON TABLE crm.teams IS 'Sales teams; a manager reads the rows of the team members.';

-- table: users

CREATE TABLE crm.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    full_name text NOT NULL,
    password_hash text,
    role text DEFAULT 'rep'::text NOT NULL,
    team_id uuid,
    manager_id uuid,
    is_active boolean DEFAULT true NOT NULL,
    ai_features boolean DEFAULT false NOT NULL,
    failed_login_count integer DEFAULT 0 NOT NULL,
    locked_until timestamp with time zone,
    session_version integer DEFAULT 1 NOT NULL,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_users_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT check_users_failed_login_count_non_negative CHECK ((failed_login_count >= 0)),
    CONSTRAINT check_users_full_name_not_blank CHECK (((btrim(full_name) <> ''::text) AND (length(full_name) <= 200))),
    CONSTRAINT check_users_not_own_manager CHECK ((manager_id IS DISTINCT FROM id)),
    CONSTRAINT check_users_role CHECK ((role = ANY (ARRAY['rep'::text, 'manager'::text, 'admin'::text]))),
    CONSTRAINT check_users_session_version_positive CHECK ((session_version >= 1))
);

-- comment: TABLE users

COMMENT ON TABLE crm.users IS 'People who log in: reps, managers and admins. password_hash is argon2id; null means no password login.';

-- comment: COLUMN users.session_version

COMMENT ON COLUMN crm.users.session_version IS 'Bumped on logout-everywhere, password change and deactivation; cookies carrying an older value are refused.';

-- table: activity_daily_companies

CREATE TABLE crm.activity_daily_companies (
    user_id uuid NOT NULL,
    day date NOT NULL,
    company_id uuid NOT NULL,
    activities integer NOT NULL,
    CONSTRAINT check_activity_daily_companies_activities_positive CHECK ((activities > 0))
);

-- comment: TABLE activity_daily_companies

COMMENT ON TABLE crm.activity_daily_companies IS 'Per user, UTC day and company: activities linked to the company (any status). Kept by triggers on crm.activities.';

-- table: activity_daily_totals

CREATE TABLE crm.activity_daily_totals (
    user_id uuid NOT NULL,
    day date NOT NULL,
    type text NOT NULL,
    activities integer NOT NULL,
    counted_quantity bigint NOT NULL,
    counted_amount numeric(16,2) NOT NULL,
    CONSTRAINT check_activity_daily_totals_activities_positive CHECK ((activities > 0)),
    CONSTRAINT check_activity_daily_totals_amount_non_negative CHECK ((counted_amount >= (0)::numeric)),
    CONSTRAINT check_activity_daily_totals_quantity_non_negative CHECK ((counted_quantity >= 0))
);

-- comment: TABLE activity_daily_totals

COMMENT ON TABLE crm.activity_daily_totals IS 'Per user, UTC day and activity type: activities of any status; sum(quantity) and sum(amount) of those not cancelled. Kept by triggers on crm.activities.';

-- table: activity_meetings

CREATE TABLE crm.activity_meetings (
    activity_id uuid NOT NULL,
    meeting_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

-- comment: TABLE activity_meetings

COMMENT ON TABLE crm.activity_meetings IS 'Activities that came from a meeting (its follow-up, the meeting activity itself).';

-- table: audit_log

CREATE TABLE crm.audit_log (
    id bigint NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    actor_id uuid,
    table_name text NOT NULL,
    row_id uuid,
    action text NOT NULL,
    changed_columns text[] DEFAULT '{}'::text[] NOT NULL,
    old_values jsonb,
    new_values jsonb,
    CONSTRAINT check_audit_log_action CHECK ((action = ANY (ARRAY['insert'::text, 'update'::text, 'delete'::text])))
);

-- comment: TABLE audit_log

COMMENT ON TABLE crm.audit_log IS 'Append-only change log written by app.audit_row_change(); actor_id is app.user_id at the time (no foreign key: users may be deleted).';

-- sequence: audit_log_id_seq

ALTER TABLE crm.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME crm.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- table: company_activities

CREATE TABLE crm.company_activities (
    company_id uuid NOT NULL,
    activity_id uuid NOT NULL,
    relationship_strength numeric(3,2) DEFAULT 1 NOT NULL,
    link_source text DEFAULT 'direct'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_company_activities_link_source CHECK ((link_source = ANY (ARRAY['direct'::text, 'contact'::text, 'deal'::text, 'email_domain'::text, 'name_match'::text, 'fuzzy_match'::text, 'manual'::text, 'legacy'::text]))),
    CONSTRAINT check_company_activities_strength_range CHECK (((relationship_strength >= (0)::numeric) AND (relationship_strength <= (1)::numeric)))
);

-- comment: TABLE company_activities

COMMENT ON TABLE crm.company_activities IS 'Activities that concern a company, directly or through its contact or deal; strength weights engagement.';

-- table: meetings

CREATE TABLE crm.meetings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone,
    owner_id uuid NOT NULL,
    company_id uuid,
    primary_contact_id uuid,
    primary_deal_id uuid,
    summary text,
    sentiment_score numeric(3,2),
    meeting_type text DEFAULT 'other'::text NOT NULL,
    meeting_outcome text DEFAULT 'pending'::text NOT NULL,
    meeting_quality_score numeric(3,2),
    follow_up_required boolean DEFAULT false NOT NULL,
    follow_up_created boolean DEFAULT false NOT NULL,
    next_steps text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_meetings_ends_after_starts CHECK ((ends_at >= starts_at)),
    CONSTRAINT check_meetings_outcome CHECK ((meeting_outcome = ANY (ARRAY['positive'::text, 'neutral'::text, 'negative'::text, 'no_show'::text, 'reschedule'::text, 'cancelled'::text, 'pending'::text]))),
    CONSTRAINT check_meetings_quality_range CHECK (((meeting_quality_score >= (0)::numeric) AND (meeting_quality_score <= (1)::numeric))),
    CONSTRAINT check_meetings_sentiment_range CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT check_meetings_summary_length CHECK ((length(summary) <= 20000)),
    CONSTRAINT check_meetings_title_not_blank CHECK (((btrim(title) <> ''::text) AND (length(title) <= 300))),
    CONSTRAINT check_meetings_type CHECK ((meeting_type = ANY (ARRAY['discovery'::text, 'demo'::text, 'proposal_presentation'::text, 'negotiation'::text, 'closing'::text, 'check_in'::text, 'technical_review'::text, 'stakeholder_alignment'::text, 'decision_maker_meeting'::text, 'other'::text])))
);

-- comment: TABLE meetings

COMMENT ON TABLE crm.meetings IS 'Customer meetings with type, outcome and summary; recording an outcome triggers the follow-up activity and task once.';

-- table: company_score_history

CREATE TABLE crm.company_score_history (
    company_id uuid NOT NULL,
    day date NOT NULL,
    engagement_score numeric(5,2) NOT NULL,
    lead_score numeric(5,2) NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_company_score_history_engagement_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (100)::numeric))),
    CONSTRAINT check_company_score_history_lead_range CHECK (((lead_score >= (0)::numeric) AND (lead_score <= (100)::numeric)))
);

-- comment: TABLE company_score_history

COMMENT ON TABLE crm.company_score_history IS 'One row per company per day (upserted by every rescoring that day): the engagement trend.';

-- table: contact_interactions

CREATE TABLE crm.contact_interactions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    contact_id uuid NOT NULL,
    user_id uuid NOT NULL,
    activity_id uuid,
    meeting_id uuid,
    interaction_type text NOT NULL,
    direction text DEFAULT 'outbound'::text NOT NULL,
    engagement_score numeric(3,2),
    sentiment_score numeric(3,2),
    interaction_date timestamp with time zone NOT NULL,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_contact_interactions_direction CHECK ((direction = ANY (ARRAY['inbound'::text, 'outbound'::text]))),
    CONSTRAINT check_contact_interactions_engagement_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (1)::numeric))),
    CONSTRAINT check_contact_interactions_notes_length CHECK ((length(notes) <= 20000)),
    CONSTRAINT check_contact_interactions_sentiment_range CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT check_contact_interactions_type CHECK ((interaction_type = ANY (ARRAY['email'::text, 'call'::text, 'meeting'::text, 'social'::text, 'text'::text, 'other'::text])))
);

-- comment: TABLE contact_interactions

COMMENT ON TABLE crm.contact_interactions IS 'Touches with a contact (from activities, meetings or logged directly); feeds contact engagement.';

-- table: deal_meetings

CREATE TABLE crm.deal_meetings (
    deal_id uuid NOT NULL,
    meeting_id uuid NOT NULL,
    impact_score numeric(5,2),
    outcome text,
    stage_progression_expected boolean DEFAULT false NOT NULL,
    stakeholders_present integer DEFAULT 0 NOT NULL,
    link_source text DEFAULT 'direct'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_deal_meetings_impact_range CHECK (((impact_score >= (0)::numeric) AND (impact_score <= (100)::numeric))),
    CONSTRAINT check_deal_meetings_link_source CHECK ((link_source = ANY (ARRAY['direct'::text, 'primary_deal'::text, 'inferred'::text, 'manual'::text, 'legacy'::text]))),
    CONSTRAINT check_deal_meetings_outcome CHECK ((outcome = ANY (ARRAY['positive'::text, 'neutral'::text, 'negative'::text, 'no_show'::text, 'reschedule'::text, 'cancelled'::text, 'pending'::text]))),
    CONSTRAINT check_deal_meetings_stakeholders_non_negative CHECK ((stakeholders_present >= 0))
);

-- comment: TABLE deal_meetings

COMMENT ON TABLE crm.deal_meetings IS 'Meetings that moved a deal, with their impact and outcome.';

-- table: meeting_action_items

CREATE TABLE crm.meeting_action_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    meeting_id uuid NOT NULL,
    description text NOT NULL,
    assignee_id uuid,
    priority text DEFAULT 'medium'::text NOT NULL,
    deadline date,
    is_done boolean DEFAULT false NOT NULL,
    task_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_meeting_action_items_description_not_blank CHECK (((btrim(description) <> ''::text) AND (length(description) <= 2000))),
    CONSTRAINT check_meeting_action_items_priority CHECK ((priority = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'urgent'::text])))
);

-- comment: TABLE meeting_action_items

COMMENT ON TABLE crm.meeting_action_items IS 'Action items agreed in a meeting; task_id links the task created from one.';

-- table: deal_score_history

CREATE TABLE crm.deal_score_history (
    deal_id uuid NOT NULL,
    day date NOT NULL,
    deal_intelligence_score numeric(5,2) NOT NULL,
    win_probability_ai numeric(3,2),
    risk_factor_count integer DEFAULT 0 NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_deal_score_history_intelligence_range CHECK (((deal_intelligence_score >= (0)::numeric) AND (deal_intelligence_score <= (100)::numeric))),
    CONSTRAINT check_deal_score_history_risk_count CHECK ((risk_factor_count >= 0)),
    CONSTRAINT check_deal_score_history_win_probability_range CHECK (((win_probability_ai >= (0)::numeric) AND (win_probability_ai <= (1)::numeric)))
);

-- comment: TABLE deal_score_history

COMMENT ON TABLE crm.deal_score_history IS 'One row per deal per day (upserted by every rescoring that day): the deal-score trend.';

-- table: deal_stage_history

CREATE TABLE crm.deal_stage_history (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    deal_id uuid NOT NULL,
    from_stage_id uuid,
    to_stage_id uuid NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    changed_by uuid,
    CONSTRAINT check_deal_stage_history_stage_changes CHECK ((from_stage_id IS DISTINCT FROM to_stage_id))
);

-- comment: TABLE deal_stage_history

COMMENT ON TABLE crm.deal_stage_history IS 'One row per stage a deal entered (from_stage_id null for the first); feeds days-in-stage, funnel conversion and the win model.';

-- table: deal_stakeholders

CREATE TABLE crm.deal_stakeholders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    deal_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    role text DEFAULT 'other'::text NOT NULL,
    influence_level text DEFAULT 'medium'::text NOT NULL,
    relationship_strength numeric(3,2),
    is_champion boolean DEFAULT false NOT NULL,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_deal_stakeholders_influence CHECK ((influence_level = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'critical'::text]))),
    CONSTRAINT check_deal_stakeholders_notes_length CHECK ((length(notes) <= 5000)),
    CONSTRAINT check_deal_stakeholders_role CHECK ((role = ANY (ARRAY['decision_maker'::text, 'influencer'::text, 'champion'::text, 'gatekeeper'::text, 'technical_evaluator'::text, 'budget_holder'::text, 'end_user'::text, 'procurement'::text, 'legal'::text, 'other'::text]))),
    CONSTRAINT check_deal_stakeholders_strength_range CHECK (((relationship_strength >= (0)::numeric) AND (relationship_strength <= (1)::numeric)))
);

-- comment: TABLE deal_stakeholders

COMMENT ON TABLE crm.deal_stakeholders IS 'The buying committee of a deal: role, influence, relationship strength, champion.';

-- table: deal_totals

CREATE TABLE crm.deal_totals (
    owner_id uuid NOT NULL,
    stage_id uuid NOT NULL,
    status text NOT NULL,
    deals integer NOT NULL,
    value numeric(16,2) NOT NULL,
    high_probability integer NOT NULL,
    top_opportunities integer NOT NULL,
    CONSTRAINT check_deal_totals_counts_in_range CHECK (high_probability between 0 and deals and top_opportunities between 0 and deals),
    CONSTRAINT check_deal_totals_deals_positive CHECK ((deals > 0)),
    CONSTRAINT check_deal_totals_value_non_negative CHECK ((value >= (0)::numeric))
);

-- comment: TABLE deal_totals

COMMENT ON TABLE crm.deal_totals IS 'Per owner, stage and status: deals, sum(value), those with win_probability_ai > 0.7 and with deal_intelligence_score > 75. Kept by triggers on crm.deals.';

-- table: tasks

CREATE TABLE crm.tasks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    description text,
    due_date timestamp with time zone,
    status text DEFAULT 'pending'::text NOT NULL,
    priority text DEFAULT 'medium'::text NOT NULL,
    task_type text DEFAULT 'general'::text NOT NULL,
    assigned_to uuid NOT NULL,
    created_by uuid,
    deal_id uuid,
    company_id uuid,
    contact_id uuid,
    meeting_id uuid,
    parent_task_id uuid,
    sequence_order integer DEFAULT 0 NOT NULL,
    depth integer DEFAULT 1 NOT NULL,
    auto_generated boolean DEFAULT false NOT NULL,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_tasks_completed_at_matches_status CHECK (((status = 'completed'::text) = (completed_at IS NOT NULL))),
    CONSTRAINT check_tasks_depth_range CHECK (((depth >= 1) AND (depth <= 5))),
    CONSTRAINT check_tasks_description_length CHECK ((length(description) <= 20000)),
    CONSTRAINT check_tasks_not_own_parent CHECK ((parent_task_id IS DISTINCT FROM id)),
    CONSTRAINT check_tasks_priority CHECK ((priority = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'urgent'::text]))),
    CONSTRAINT check_tasks_sequence_order_non_negative CHECK ((sequence_order >= 0)),
    CONSTRAINT check_tasks_status CHECK ((status = ANY (ARRAY['pending'::text, 'in_progress'::text, 'completed'::text, 'cancelled'::text]))),
    CONSTRAINT check_tasks_title_not_blank CHECK (((btrim(title) <> ''::text) AND (length(title) <= 300))),
    CONSTRAINT check_tasks_type CHECK ((task_type = ANY (ARRAY['call'::text, 'email'::text, 'meeting'::text, 'follow_up'::text, 'proposal'::text, 'demo'::text, 'general'::text])))
);

-- comment: TABLE tasks

COMMENT ON TABLE crm.tasks IS 'To-dos with subtasks: depth 1 is a top-level task, at most 5 levels, no cycles (trigger).';

-- table: legacy_activities

CREATE TABLE crm.legacy_activities (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    legacy_id text NOT NULL,
    owner_email text,
    type text,
    status text,
    client_name text,
    contact_identifier text,
    details text,
    date text,
    amount text,
    deal_legacy_id text,
    activity_id uuid,
    source text DEFAULT 'csv'::text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL,
    migrated_at timestamp with time zone,
    CONSTRAINT check_legacy_activities_source CHECK ((source = ANY (ARRAY['csv'::text, 'demo'::text])))
);

-- comment: TABLE legacy_activities

COMMENT ON TABLE crm.legacy_activities IS 'Legacy activity rows with a free-text client name and contact identifier.';

-- table: legacy_deals

CREATE TABLE crm.legacy_deals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    legacy_id text NOT NULL,
    name text,
    company text,
    contact_name text,
    contact_email text,
    contact_phone text,
    value text,
    stage text,
    owner_email text,
    expected_close_date text,
    created_at text,
    deal_id uuid,
    source text DEFAULT 'csv'::text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL,
    migrated_at timestamp with time zone,
    company_link text,
    contact_link text,
    CONSTRAINT check_legacy_deals_company_link CHECK ((company_link = ANY (ARRAY['email_domain'::text, 'name_match'::text, 'fuzzy_match'::text, 'contact'::text, 'manual'::text, 'created'::text]))),
    CONSTRAINT check_legacy_deals_contact_link CHECK ((contact_link = ANY (ARRAY['email'::text, 'name_match'::text, 'created'::text, 'manual'::text]))),
    CONSTRAINT check_legacy_deals_source CHECK ((source = ANY (ARRAY['csv'::text, 'demo'::text])))
);

-- comment: TABLE legacy_deals

COMMENT ON TABLE crm.legacy_deals IS 'Legacy deal rows with text contact fields, waiting for (or recording) their resolution to companies and contacts.';

-- comment: COLUMN legacy_deals.company_link

COMMENT ON COLUMN crm.legacy_deals.company_link IS 'How the deal''s company was found: email_domain, name_match, fuzzy_match, contact, created or manual (review).';

-- table: legacy_import_runs

CREATE TABLE crm.legacy_import_runs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source text NOT NULL,
    file_name text,
    started_by uuid,
    status text DEFAULT 'queued'::text NOT NULL,
    rows_read integer DEFAULT 0 NOT NULL,
    rows_written integer DEFAULT 0 NOT NULL,
    rows_reported integer DEFAULT 0 NOT NULL,
    report jsonb DEFAULT '{}'::jsonb NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    activities_file_name text,
    dry_run boolean DEFAULT false NOT NULL,
    skip_invalid boolean DEFAULT false NOT NULL,
    deals_csv text,
    activities_csv text,
    phase text,
    progress_done integer DEFAULT 0 NOT NULL,
    progress_total integer DEFAULT 0 NOT NULL,
    heartbeat_at timestamp with time zone,
    backend_pid integer,
    error text,
    retry_of uuid,
    CONSTRAINT check_legacy_import_runs_activities_file_name_length CHECK ((length(activities_file_name) <= 255)),
    CONSTRAINT check_legacy_import_runs_counts_non_negative CHECK (((rows_read >= 0) AND (rows_written >= 0) AND (rows_reported >= 0))),
    CONSTRAINT check_legacy_import_runs_error_length CHECK ((length(error) <= 2000)),
    CONSTRAINT check_legacy_import_runs_file_name_length CHECK ((length(file_name) <= 255)),
    CONSTRAINT check_legacy_import_runs_finished_at_matches_status CHECK (((status = ANY (ARRAY['completed'::text, 'failed'::text])) = (finished_at IS NOT NULL))),
    CONSTRAINT check_legacy_import_runs_phase_length CHECK ((length(phase) <= 200)),
    CONSTRAINT check_legacy_import_runs_progress_non_negative CHECK (((progress_done >= 0) AND (progress_total >= 0))),
    CONSTRAINT check_legacy_import_runs_report_object CHECK ((jsonb_typeof(report) = 'object'::text)),
    CONSTRAINT check_legacy_import_runs_source CHECK ((source = ANY (ARRAY['csv'::text, 'staging'::text, 'upload'::text]))),
    CONSTRAINT check_legacy_import_runs_status CHECK ((status = ANY (ARRAY['queued'::text, 'running'::text, 'completed'::text, 'failed'::text])))
);

-- comment: TABLE legacy_import_runs

COMMENT ON TABLE crm.legacy_import_runs IS 'One row per legacy import job, committed before its import transaction: queued, running (with progress and heartbeat), completed (in the import''s own transaction when it commits) or failed. A running row whose backend_pid is gone was interrupted.';

-- comment: COLUMN legacy_import_runs.deals_csv

COMMENT ON COLUMN crm.legacy_import_runs.deals_csv IS 'The uploaded deals file, kept until an import of it commits (retry and re-run from the admin page).';

-- comment: COLUMN legacy_import_runs.backend_pid

COMMENT ON COLUMN crm.legacy_import_runs.backend_pid IS 'pg_backend_pid() of the connection running the import: when it no longer exists, the import was killed and rolled back.';

-- comment: COLUMN legacy_import_runs.retry_of

COMMENT ON COLUMN crm.legacy_import_runs.retry_of IS 'The run this one repeats (retry of a failed run, or a dry run done for real).';

-- table: legacy_review_items

CREATE TABLE crm.legacy_review_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    legacy_deal_id uuid NOT NULL,
    import_run_id uuid,
    reason text NOT NULL,
    suggestions jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    resolution jsonb,
    resolved_by uuid,
    resolved_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_legacy_review_items_reason CHECK ((reason = ANY (ARRAY['no_email_no_company'::text, 'two_candidates'::text, 'fuzzy_uncertain'::text, 'no_company'::text]))),
    CONSTRAINT check_legacy_review_items_resolved_fields CHECK (((status = 'pending'::text) = (resolved_at IS NULL))),
    CONSTRAINT check_legacy_review_items_status CHECK ((status = ANY (ARRAY['pending'::text, 'resolved'::text, 'dismissed'::text]))),
    CONSTRAINT check_legacy_review_items_suggestions_object CHECK ((jsonb_typeof(suggestions) = 'object'::text))
);

-- comment: TABLE legacy_review_items

COMMENT ON TABLE crm.legacy_review_items IS 'Legacy deals the importer would not link by guessing; suggestions holds candidate companies/contacts with scores.';

-- table: login_attempts

CREATE TABLE crm.login_attempts (
    id bigint NOT NULL,
    attempted_at timestamp with time zone DEFAULT now() NOT NULL,
    email text NOT NULL,
    ip inet,
    user_id uuid,
    succeeded boolean NOT NULL,
    CONSTRAINT check_login_attempts_email_length CHECK ((length(email) <= 320))
);

-- comment: TABLE login_attempts

COMMENT ON TABLE crm.login_attempts IS 'Every login attempt (success or failure) with email, IP and time; throttling counts recent failures here.';

-- sequence: login_attempts_id_seq

ALTER TABLE crm.login_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME crm.login_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- table: meeting_attendees

CREATE TABLE crm.meeting_attendees (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    meeting_id uuid NOT NULL,
    contact_id uuid,
    user_id uuid,
    name text NOT NULL,
    email text,
    is_external boolean DEFAULT true NOT NULL,
    role text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_meeting_attendees_contact_or_user CHECK (((contact_id IS NOT NULL) OR (user_id IS NOT NULL) OR (email IS NOT NULL))),
    CONSTRAINT check_meeting_attendees_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT check_meeting_attendees_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200)))
);

-- comment: TABLE meeting_attendees

COMMENT ON TABLE crm.meeting_attendees IS 'Who attended a meeting: contacts (external), users (internal) or a named email; each at most once.';

-- table: meeting_sequences

CREATE TABLE crm.meeting_sequences (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    deal_id uuid NOT NULL,
    meeting_id uuid NOT NULL,
    sequence_number integer NOT NULL,
    previous_meeting_id uuid,
    days_since_previous integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_meeting_sequences_days_non_negative CHECK ((days_since_previous >= 0)),
    CONSTRAINT check_meeting_sequences_not_own_previous CHECK ((previous_meeting_id IS DISTINCT FROM meeting_id)),
    CONSTRAINT check_meeting_sequences_number_positive CHECK ((sequence_number >= 1))
);

-- comment: TABLE meeting_sequences

COMMENT ON TABLE crm.meeting_sequences IS 'The order of a deal''s meetings (1st, 2nd, ...) and the gap between them.';

-- table: targets

CREATE TABLE crm.targets (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    month date NOT NULL,
    revenue_target numeric(14,2) DEFAULT 0 NOT NULL,
    outbound_target integer DEFAULT 0 NOT NULL,
    meetings_target integer DEFAULT 0 NOT NULL,
    proposals_target integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_targets_meetings_non_negative CHECK ((meetings_target >= 0)),
    CONSTRAINT check_targets_month_is_first_day CHECK ((month = (date_trunc('month'::text, (month)::timestamp with time zone))::date)),
    CONSTRAINT check_targets_outbound_non_negative CHECK ((outbound_target >= 0)),
    CONSTRAINT check_targets_proposals_non_negative CHECK ((proposals_target >= 0)),
    CONSTRAINT check_targets_revenue_non_negative CHECK ((revenue_target >= (0)::numeric))
);

-- comment: TABLE targets

COMMENT ON TABLE crm.targets IS 'Monthly targets per user (revenue, outbound, meetings, proposals) for the dashboard KPI cards.';

-- table: task_totals

CREATE TABLE crm.task_totals (
    assigned_to uuid NOT NULL,
    status text NOT NULL,
    tasks integer NOT NULL,
    high_priority integer NOT NULL,
    CONSTRAINT check_task_totals_high_priority_in_range CHECK (((high_priority >= 0) AND (high_priority <= tasks))),
    CONSTRAINT check_task_totals_tasks_positive CHECK ((tasks > 0))
);

-- comment: TABLE task_totals

COMMENT ON TABLE crm.task_totals IS 'Per assignee and status: tasks, and those of high or urgent priority. Kept by triggers on crm.tasks.';

-- table: win_models

CREATE TABLE crm.win_models (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    algorithm text NOT NULL,
    model jsonb,
    metrics jsonb DEFAULT '{}'::jsonb NOT NULL,
    closed_deals integer NOT NULL,
    won_deals integer NOT NULL,
    lost_deals integer NOT NULL,
    trained_at timestamp with time zone DEFAULT now() NOT NULL,
    as_of timestamp with time zone NOT NULL,
    CONSTRAINT check_win_models_algorithm CHECK ((algorithm = ANY (ARRAY['logistic_regression'::text, 'stage_default'::text]))),
    CONSTRAINT check_win_models_counts CHECK (((closed_deals >= 0) AND (won_deals >= 0) AND (lost_deals >= 0) AND ((won_deals + lost_deals) = closed_deals))),
    CONSTRAINT check_win_models_metrics_object CHECK ((jsonb_typeof(metrics) = 'object'::text)),
    CONSTRAINT check_win_models_model_object CHECK (((model IS NULL) OR (jsonb_typeof(model) = 'object'::text))),
    CONSTRAINT check_win_models_model_present CHECK (((algorithm = 'stage_default'::text) = (model IS NULL)))
);

-- comment: TABLE win_models

COMMENT ON TABLE crm.win_models IS 'Win-probability models trained by `crm score`; the newest row is used. stage_default = too few closed deals, the stage probability is used.';

-- constraint: activities activities_pkey

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT activities_pkey PRIMARY KEY (id);

-- constraint: audit_log audit_log_pkey

ALTER TABLE ONLY crm.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

-- constraint: companies companies_pkey

ALTER TABLE ONLY crm.companies
    ADD CONSTRAINT companies_pkey PRIMARY KEY (id);

-- constraint: contact_interactions contact_interactions_pkey

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT contact_interactions_pkey PRIMARY KEY (id);

-- constraint: contacts contacts_pkey

ALTER TABLE ONLY crm.contacts
    ADD CONSTRAINT contacts_pkey PRIMARY KEY (id);

-- constraint: deal_stage_history deal_stage_history_pkey

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT deal_stage_history_pkey PRIMARY KEY (id);

-- constraint: deal_stages deal_stages_pkey

ALTER TABLE ONLY crm.deal_stages
    ADD CONSTRAINT deal_stages_pkey PRIMARY KEY (id);

-- constraint: deal_stakeholders deal_stakeholders_pkey

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT deal_stakeholders_pkey PRIMARY KEY (id);

-- constraint: deals deals_pkey

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT deals_pkey PRIMARY KEY (id);

-- constraint: legacy_activities legacy_activities_pkey

ALTER TABLE ONLY crm.legacy_activities
    ADD CONSTRAINT legacy_activities_pkey PRIMARY KEY (id);

-- constraint: legacy_deals legacy_deals_pkey

ALTER TABLE ONLY crm.legacy_deals
    ADD CONSTRAINT legacy_deals_pkey PRIMARY KEY (id);

-- constraint: legacy_import_runs legacy_import_runs_pkey

ALTER TABLE ONLY crm.legacy_import_runs
    ADD CONSTRAINT legacy_import_runs_pkey PRIMARY KEY (id);

-- constraint: legacy_review_items legacy_review_items_pkey

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT legacy_review_items_pkey PRIMARY KEY (id);

-- constraint: login_attempts login_attempts_pkey

ALTER TABLE ONLY crm.login_attempts
    ADD CONSTRAINT login_attempts_pkey PRIMARY KEY (id);

-- constraint: meeting_action_items meeting_action_items_pkey

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT meeting_action_items_pkey PRIMARY KEY (id);

-- constraint: meeting_attendees meeting_attendees_pkey

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT meeting_attendees_pkey PRIMARY KEY (id);

-- constraint: meeting_sequences meeting_sequences_pkey

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT meeting_sequences_pkey PRIMARY KEY (id);

-- constraint: meetings meetings_pkey

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT meetings_pkey PRIMARY KEY (id);

-- constraint: activity_daily_companies pk_activity_daily_companies

ALTER TABLE ONLY crm.activity_daily_companies
    ADD CONSTRAINT pk_activity_daily_companies PRIMARY KEY (user_id, day, company_id);

-- constraint: activity_daily_totals pk_activity_daily_totals

ALTER TABLE ONLY crm.activity_daily_totals
    ADD CONSTRAINT pk_activity_daily_totals PRIMARY KEY (user_id, day, type) INCLUDE (activities, counted_quantity, counted_amount);

-- constraint: activity_meetings pk_activity_meetings

ALTER TABLE ONLY crm.activity_meetings
    ADD CONSTRAINT pk_activity_meetings PRIMARY KEY (activity_id, meeting_id);

-- constraint: company_activities pk_company_activities

ALTER TABLE ONLY crm.company_activities
    ADD CONSTRAINT pk_company_activities PRIMARY KEY (company_id, activity_id);

-- constraint: company_score_history pk_company_score_history

ALTER TABLE ONLY crm.company_score_history
    ADD CONSTRAINT pk_company_score_history PRIMARY KEY (company_id, day);

-- constraint: deal_meetings pk_deal_meetings

ALTER TABLE ONLY crm.deal_meetings
    ADD CONSTRAINT pk_deal_meetings PRIMARY KEY (deal_id, meeting_id);

-- constraint: deal_score_history pk_deal_score_history

ALTER TABLE ONLY crm.deal_score_history
    ADD CONSTRAINT pk_deal_score_history PRIMARY KEY (deal_id, day);

-- constraint: deal_totals pk_deal_totals

ALTER TABLE ONLY crm.deal_totals
    ADD CONSTRAINT pk_deal_totals PRIMARY KEY (owner_id, stage_id, status);

-- constraint: task_totals pk_task_totals

ALTER TABLE ONLY crm.task_totals
    ADD CONSTRAINT pk_task_totals PRIMARY KEY (assigned_to, status);

-- constraint: targets targets_pkey

ALTER TABLE ONLY crm.targets
    ADD CONSTRAINT targets_pkey PRIMARY KEY (id);

-- constraint: tasks tasks_pkey

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);

-- constraint: teams teams_pkey

ALTER TABLE ONLY crm.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (id);

-- constraint: deal_stages unique_deal_stages_position

ALTER TABLE ONLY crm.deal_stages
    ADD CONSTRAINT unique_deal_stages_position UNIQUE ("position");

-- constraint: deal_stakeholders unique_deal_stakeholders_deal_id_and_contact_id

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT unique_deal_stakeholders_deal_id_and_contact_id UNIQUE (deal_id, contact_id);

-- constraint: legacy_activities unique_legacy_activities_legacy_id

ALTER TABLE ONLY crm.legacy_activities
    ADD CONSTRAINT unique_legacy_activities_legacy_id UNIQUE (legacy_id);

-- constraint: legacy_deals unique_legacy_deals_legacy_id

ALTER TABLE ONLY crm.legacy_deals
    ADD CONSTRAINT unique_legacy_deals_legacy_id UNIQUE (legacy_id);

-- constraint: meeting_attendees unique_meeting_attendees_meeting_id_and_contact_id

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT unique_meeting_attendees_meeting_id_and_contact_id UNIQUE (meeting_id, contact_id);

-- constraint: meeting_attendees unique_meeting_attendees_meeting_id_and_user_id

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT unique_meeting_attendees_meeting_id_and_user_id UNIQUE (meeting_id, user_id);

-- constraint: meeting_sequences unique_meeting_sequences_deal_id_and_meeting_id

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT unique_meeting_sequences_deal_id_and_meeting_id UNIQUE (deal_id, meeting_id);

-- constraint: meeting_sequences unique_meeting_sequences_deal_id_and_sequence_number

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT unique_meeting_sequences_deal_id_and_sequence_number UNIQUE (deal_id, sequence_number);

-- constraint: targets unique_targets_user_id_and_month

ALTER TABLE ONLY crm.targets
    ADD CONSTRAINT unique_targets_user_id_and_month UNIQUE (user_id, month);

-- constraint: users users_pkey

ALTER TABLE ONLY crm.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

-- constraint: win_models win_models_pkey

ALTER TABLE ONLY crm.win_models
    ADD CONSTRAINT win_models_pkey PRIMARY KEY (id);

-- index: index_activities_on_company_id_and_date

CREATE INDEX index_activities_on_company_id_and_date ON crm.activities USING btree (company_id, date DESC);

-- index: index_activities_on_contact_id

CREATE INDEX index_activities_on_contact_id ON crm.activities USING btree (contact_id);

-- index: index_activities_on_date_for_scoring

CREATE INDEX index_activities_on_date_for_scoring ON crm.activities USING btree (date) INCLUDE (id, deal_id, status, engagement_quality, sentiment_score);

-- comment: INDEX index_activities_on_date_for_scoring

COMMENT ON INDEX crm.index_activities_on_date_for_scoring IS 'Index-only scans for the scoring aggregates (deal activity, company activity, win features): bench/rescore.py.';

-- index: index_activities_on_deal_id_and_date_covering

CREATE INDEX index_activities_on_deal_id_and_date_covering ON crm.activities USING btree (deal_id, date DESC) INCLUDE (status, sentiment_score, engagement_quality) WHERE (deal_id IS NOT NULL);

-- comment: INDEX index_activities_on_deal_id_and_date_covering

COMMENT ON INDEX crm.index_activities_on_deal_id_and_date_covering IS 'A deal''s activities by date (deal page, deal foreign key) and, index-only, the win model''s per-deal activity features.';

-- index: index_activities_on_id_unscored

CREATE INDEX index_activities_on_id_unscored ON crm.activities USING btree (id) WHERE ((sentiment_score IS NULL) AND (details IS NOT NULL));

-- comment: INDEX index_activities_on_id_unscored

COMMENT ON INDEX crm.index_activities_on_id_unscored IS 'Activities whose text has no sentiment yet (the sentiment stage of crm score): bench/rescore.py.';

-- index: index_activities_on_user_id_date_type

CREATE INDEX index_activities_on_user_id_date_type ON crm.activities USING btree (user_id, date DESC, type);

-- index: index_activity_daily_totals_on_user_id_type_covering

CREATE INDEX index_activity_daily_totals_on_user_id_type_covering ON crm.activity_daily_totals USING btree (user_id, type) INCLUDE (activities, day);

-- comment: INDEX index_activity_daily_totals_on_user_id_type_covering

COMMENT ON INDEX crm.index_activity_daily_totals_on_user_id_type_covering IS 'The activities list''s counts per type (dashboard/views/activities.py), index-only: bench/pages.py.';

-- index: index_activity_meetings_on_meeting_id

CREATE INDEX index_activity_meetings_on_meeting_id ON crm.activity_meetings USING btree (meeting_id);

-- index: index_audit_log_on_actor_id

CREATE INDEX index_audit_log_on_actor_id ON crm.audit_log USING btree (actor_id);

-- index: index_audit_log_on_occurred_at

CREATE INDEX index_audit_log_on_occurred_at ON crm.audit_log USING btree (occurred_at);

-- index: index_audit_log_on_table_name_and_row_id

CREATE INDEX index_audit_log_on_table_name_and_row_id ON crm.audit_log USING btree (table_name, row_id);

-- index: index_companies_on_is_target_account

CREATE INDEX index_companies_on_is_target_account ON crm.companies USING btree (owner_id) WHERE is_target_account;

-- index: index_companies_on_lower_name_and_id

CREATE INDEX index_companies_on_lower_name_and_id ON crm.companies USING btree (lower(name), id);

-- index: index_companies_on_name_trgm

CREATE INDEX index_companies_on_name_trgm ON crm.companies USING gin (lower(name) crm.gin_trgm_ops);

-- index: index_companies_on_owner_id_and_lower_name

CREATE INDEX index_companies_on_owner_id_and_lower_name ON crm.companies USING btree (owner_id, lower(name), id);

-- index: index_companies_on_owner_id_engagement_covering

CREATE INDEX index_companies_on_owner_id_engagement_covering ON crm.companies USING btree (owner_id, engagement_score DESC) INCLUDE (id);

-- index: index_companies_on_social_media_urls

CREATE INDEX index_companies_on_social_media_urls ON crm.companies USING gin (social_media_urls);

-- index: index_companies_on_technology_stack

CREATE INDEX index_companies_on_technology_stack ON crm.companies USING gin (technology_stack);

-- index: index_company_activities_on_activity_id

CREATE INDEX index_company_activities_on_activity_id ON crm.company_activities USING btree (activity_id);

-- index: index_company_score_history_on_day

CREATE INDEX index_company_score_history_on_day ON crm.company_score_history USING btree (day);

-- index: index_contact_interactions_on_activity_id

CREATE INDEX index_contact_interactions_on_activity_id ON crm.contact_interactions USING btree (activity_id);

-- index: index_contact_interactions_on_contact_id_and_date

CREATE INDEX index_contact_interactions_on_contact_id_and_date ON crm.contact_interactions USING btree (contact_id, interaction_date DESC);

-- index: index_contact_interactions_on_meeting_id

CREATE INDEX index_contact_interactions_on_meeting_id ON crm.contact_interactions USING btree (meeting_id);

-- index: index_contact_interactions_on_user_id_and_date

CREATE INDEX index_contact_interactions_on_user_id_and_date ON crm.contact_interactions USING btree (user_id, interaction_date DESC);

-- index: index_contacts_on_company_id_covering

CREATE INDEX index_contacts_on_company_id_covering ON crm.contacts USING btree (company_id) INCLUDE (id, decision_maker_score);

-- comment: INDEX index_contacts_on_company_id_covering

COMMENT ON INDEX crm.index_contacts_on_company_id_covering IS 'A company''s contacts (company page, foreign key) and, index-only, the company scores'' contact-to-company map and best decision maker.';

-- index: index_contacts_on_full_name_trgm

CREATE INDEX index_contacts_on_full_name_trgm ON crm.contacts USING gin (lower(((first_name || ' '::text) || last_name)) crm.gin_trgm_ops);

-- index: index_contacts_on_lower_full_name_and_id

CREATE INDEX index_contacts_on_lower_full_name_and_id ON crm.contacts USING btree (lower(((first_name || ' '::text) || last_name)), id);

-- index: index_contacts_on_owner_id_and_lower_full_name

CREATE INDEX index_contacts_on_owner_id_and_lower_full_name ON crm.contacts USING btree (owner_id, lower(((first_name || ' '::text) || last_name)), id);

-- index: index_contacts_on_owner_id_engagement_covering

CREATE INDEX index_contacts_on_owner_id_engagement_covering ON crm.contacts USING btree (owner_id, engagement_score DESC) INCLUDE (id);

-- comment: INDEX index_contacts_on_owner_id_engagement_covering

COMMENT ON INDEX crm.index_contacts_on_owner_id_engagement_covering IS 'Contacts by owner (a rep''s and a team''s list counts, index-only; sort by engagement): bench/pages.py.';

-- index: index_contacts_on_skills

CREATE INDEX index_contacts_on_skills ON crm.contacts USING gin (skills);

-- index: index_contacts_on_social_media_urls

CREATE INDEX index_contacts_on_social_media_urls ON crm.contacts USING gin (social_media_urls);

-- index: index_deal_meetings_on_meeting_id

CREATE INDEX index_deal_meetings_on_meeting_id ON crm.deal_meetings USING btree (meeting_id);

-- index: index_deal_score_history_on_day

CREATE INDEX index_deal_score_history_on_day ON crm.deal_score_history USING btree (day);

-- index: index_deal_stage_history_on_changed_by

CREATE INDEX index_deal_stage_history_on_changed_by ON crm.deal_stage_history USING btree (changed_by);

-- index: index_deal_stage_history_on_deal_id_and_changed_at

CREATE INDEX index_deal_stage_history_on_deal_id_and_changed_at ON crm.deal_stage_history USING btree (deal_id, changed_at);

-- index: index_deal_stage_history_on_from_stage_id

CREATE INDEX index_deal_stage_history_on_from_stage_id ON crm.deal_stage_history USING btree (from_stage_id);

-- index: index_deal_stage_history_on_to_stage_id

CREATE INDEX index_deal_stage_history_on_to_stage_id ON crm.deal_stage_history USING btree (to_stage_id);

-- index: index_deal_stakeholders_on_contact_id

CREATE INDEX index_deal_stakeholders_on_contact_id ON crm.deal_stakeholders USING btree (contact_id);

-- index: index_deal_totals_on_stage_id

CREATE INDEX index_deal_totals_on_stage_id ON crm.deal_totals USING btree (stage_id);

-- index: index_deals_on_company_id

CREATE INDEX index_deals_on_company_id ON crm.deals USING btree (company_id);

-- index: index_deals_on_competitor_analysis

CREATE INDEX index_deals_on_competitor_analysis ON crm.deals USING gin (competitor_analysis);

-- index: index_deals_on_expected_close_date_and_id

CREATE INDEX index_deals_on_expected_close_date_and_id ON crm.deals USING btree (expected_close_date, id);

-- index: index_deals_on_name_trgm

CREATE INDEX index_deals_on_name_trgm ON crm.deals USING gin (lower(name) crm.gin_trgm_ops);

-- index: index_deals_on_owner_id_and_intelligence

CREATE INDEX index_deals_on_owner_id_and_intelligence ON crm.deals USING btree (owner_id, deal_intelligence_score DESC);

-- index: index_deals_on_owner_id_and_lower_name

CREATE INDEX index_deals_on_owner_id_and_lower_name ON crm.deals USING btree (owner_id, lower(name), id);

-- index: index_deals_on_owner_id_links_covering

CREATE INDEX index_deals_on_owner_id_links_covering ON crm.deals USING btree (owner_id) INCLUDE (id, company_id, primary_contact_id, stage_id, value);

-- index: index_deals_on_owner_id_open_by_intelligence

CREATE INDEX index_deals_on_owner_id_open_by_intelligence ON crm.deals USING btree (owner_id, deal_intelligence_score DESC, value DESC, id) WHERE (status = 'active'::text);

-- index: index_deals_on_owner_id_open_by_value

CREATE INDEX index_deals_on_owner_id_open_by_value ON crm.deals USING btree (owner_id, value DESC, id) WHERE (status = 'active'::text);

-- index: index_deals_on_owner_id_open_covering

CREATE INDEX index_deals_on_owner_id_open_covering ON crm.deals USING btree (owner_id) INCLUDE (id, value, stage_id, expected_close_date) WHERE (status = 'active'::text);

-- index: index_deals_on_owner_status_stage_close

CREATE INDEX index_deals_on_owner_status_stage_close ON crm.deals USING btree (owner_id, status, stage_id, expected_close_date);

-- index: index_deals_on_primary_contact_id

CREATE INDEX index_deals_on_primary_contact_id ON crm.deals USING btree (primary_contact_id);

-- index: index_deals_on_risk_factors

CREATE INDEX index_deals_on_risk_factors ON crm.deals USING gin (risk_factors);

-- index: index_deals_on_stage_id_value_and_id

CREATE INDEX index_deals_on_stage_id_value_and_id ON crm.deals USING btree (stage_id, value DESC, id);

-- index: index_deals_on_stakeholder_mapping

CREATE INDEX index_deals_on_stakeholder_mapping ON crm.deals USING gin (stakeholder_mapping);

-- index: index_legacy_activities_on_activity_id

CREATE INDEX index_legacy_activities_on_activity_id ON crm.legacy_activities USING btree (activity_id);

-- index: index_legacy_activities_on_deal_legacy_id

CREATE INDEX index_legacy_activities_on_deal_legacy_id ON crm.legacy_activities USING btree (deal_legacy_id);

-- index: index_legacy_deals_on_deal_id

CREATE INDEX index_legacy_deals_on_deal_id ON crm.legacy_deals USING btree (deal_id);

-- index: index_legacy_deals_unmigrated

CREATE INDEX index_legacy_deals_unmigrated ON crm.legacy_deals USING btree (source) WHERE (migrated_at IS NULL);

-- index: index_legacy_import_runs_on_retry_of

CREATE INDEX index_legacy_import_runs_on_retry_of ON crm.legacy_import_runs USING btree (retry_of);

-- index: index_legacy_import_runs_on_started_at

CREATE INDEX index_legacy_import_runs_on_started_at ON crm.legacy_import_runs USING btree (started_at DESC);

-- index: index_legacy_import_runs_on_started_by

CREATE INDEX index_legacy_import_runs_on_started_by ON crm.legacy_import_runs USING btree (started_by);

-- index: index_legacy_review_items_on_import_run_id

CREATE INDEX index_legacy_review_items_on_import_run_id ON crm.legacy_review_items USING btree (import_run_id);

-- index: index_legacy_review_items_on_legacy_deal_id

CREATE INDEX index_legacy_review_items_on_legacy_deal_id ON crm.legacy_review_items USING btree (legacy_deal_id);

-- index: index_legacy_review_items_on_resolved_by

CREATE INDEX index_legacy_review_items_on_resolved_by ON crm.legacy_review_items USING btree (resolved_by);

-- index: index_legacy_review_items_on_status_and_created_at

CREATE INDEX index_legacy_review_items_on_status_and_created_at ON crm.legacy_review_items USING btree (status, created_at);

-- index: index_login_attempts_on_ip_and_time

CREATE INDEX index_login_attempts_on_ip_and_time ON crm.login_attempts USING btree (ip, attempted_at DESC);

-- index: index_login_attempts_on_lower_email_and_time

CREATE INDEX index_login_attempts_on_lower_email_and_time ON crm.login_attempts USING btree (lower(email), attempted_at DESC);

-- index: index_login_attempts_on_user_id

CREATE INDEX index_login_attempts_on_user_id ON crm.login_attempts USING btree (user_id);

-- index: index_meeting_action_items_on_assignee_id

CREATE INDEX index_meeting_action_items_on_assignee_id ON crm.meeting_action_items USING btree (assignee_id);

-- index: index_meeting_action_items_on_meeting_id

CREATE INDEX index_meeting_action_items_on_meeting_id ON crm.meeting_action_items USING btree (meeting_id);

-- index: index_meeting_attendees_on_contact_id

CREATE INDEX index_meeting_attendees_on_contact_id ON crm.meeting_attendees USING btree (contact_id);

-- index: index_meeting_attendees_on_user_id

CREATE INDEX index_meeting_attendees_on_user_id ON crm.meeting_attendees USING btree (user_id);

-- index: index_meeting_sequences_on_meeting_id

CREATE INDEX index_meeting_sequences_on_meeting_id ON crm.meeting_sequences USING btree (meeting_id);

-- index: index_meeting_sequences_on_previous_meeting_id

CREATE INDEX index_meeting_sequences_on_previous_meeting_id ON crm.meeting_sequences USING btree (previous_meeting_id);

-- index: index_meetings_on_company_id_and_starts_at

CREATE INDEX index_meetings_on_company_id_and_starts_at ON crm.meetings USING btree (company_id, starts_at DESC);

-- index: index_meetings_on_owner_id_and_starts_at

CREATE INDEX index_meetings_on_owner_id_and_starts_at ON crm.meetings USING btree (owner_id, starts_at DESC);

-- index: index_meetings_on_primary_contact_id

CREATE INDEX index_meetings_on_primary_contact_id ON crm.meetings USING btree (primary_contact_id);

-- index: index_meetings_on_primary_deal_id

CREATE INDEX index_meetings_on_primary_deal_id ON crm.meetings USING btree (primary_deal_id);

-- index: index_meetings_on_starts_at_and_id

CREATE INDEX index_meetings_on_starts_at_and_id ON crm.meetings USING btree (starts_at DESC, id);

-- index: index_meetings_on_title_trgm

CREATE INDEX index_meetings_on_title_trgm ON crm.meetings USING gin (lower(title) crm.gin_trgm_ops);

-- index: index_tasks_on_assigned_to_open_covering

CREATE INDEX index_tasks_on_assigned_to_open_covering ON crm.tasks USING btree (assigned_to, due_date) INCLUDE (id, priority, created_by) WHERE (status = ANY (ARRAY['pending'::text, 'in_progress'::text]));

-- index: index_tasks_on_assigned_to_status_due_covering

CREATE INDEX index_tasks_on_assigned_to_status_due_covering ON crm.tasks USING btree (assigned_to, status, due_date) INCLUDE (created_by);

-- comment: INDEX index_tasks_on_assigned_to_status_due_covering

COMMENT ON INDEX crm.index_tasks_on_assigned_to_status_due_covering IS 'Task counts by assignee, status and due date, index-only (the read policy''s columns included): bench/pages.py.';

-- index: index_tasks_on_company_id

CREATE INDEX index_tasks_on_company_id ON crm.tasks USING btree (company_id);

-- index: index_tasks_on_contact_id

CREATE INDEX index_tasks_on_contact_id ON crm.tasks USING btree (contact_id);

-- index: index_tasks_on_created_by

CREATE INDEX index_tasks_on_created_by ON crm.tasks USING btree (created_by);

-- index: index_tasks_on_deal_id

CREATE INDEX index_tasks_on_deal_id ON crm.tasks USING btree (deal_id);

-- index: index_tasks_on_due_date_and_id

CREATE INDEX index_tasks_on_due_date_and_id ON crm.tasks USING btree (due_date, id);

-- index: index_tasks_on_meeting_id

CREATE INDEX index_tasks_on_meeting_id ON crm.tasks USING btree (meeting_id);

-- index: index_tasks_on_parent_task_id_and_sequence

CREATE INDEX index_tasks_on_parent_task_id_and_sequence ON crm.tasks USING btree (parent_task_id, sequence_order);

-- index: index_teams_on_manager_id

CREATE INDEX index_teams_on_manager_id ON crm.teams USING btree (manager_id);

-- index: index_users_on_manager_id

CREATE INDEX index_users_on_manager_id ON crm.users USING btree (manager_id);

-- index: index_users_on_team_id

CREATE INDEX index_users_on_team_id ON crm.users USING btree (team_id);

-- index: index_win_models_on_trained_at

CREATE INDEX index_win_models_on_trained_at ON crm.win_models USING btree (trained_at DESC);

-- index: unique_companies_domain

CREATE UNIQUE INDEX unique_companies_domain ON crm.companies USING btree (domain);

-- index: unique_contact_interactions_contact_id_and_activity_id

CREATE UNIQUE INDEX unique_contact_interactions_contact_id_and_activity_id ON crm.contact_interactions USING btree (contact_id, activity_id);

-- index: unique_contacts_lower_email

CREATE UNIQUE INDEX unique_contacts_lower_email ON crm.contacts USING btree (lower(email));

-- index: unique_deal_stages_lower_name

CREATE UNIQUE INDEX unique_deal_stages_lower_name ON crm.deal_stages USING btree (lower(name));

-- index: unique_legacy_review_items_pending_legacy_deal_id

CREATE UNIQUE INDEX unique_legacy_review_items_pending_legacy_deal_id ON crm.legacy_review_items USING btree (legacy_deal_id) WHERE (status = 'pending'::text);

-- index: unique_meeting_action_items_task_id

CREATE UNIQUE INDEX unique_meeting_action_items_task_id ON crm.meeting_action_items USING btree (task_id);

-- index: unique_teams_lower_name

CREATE UNIQUE INDEX unique_teams_lower_name ON crm.teams USING btree (lower(name));

-- index: unique_users_lower_email

CREATE UNIQUE INDEX unique_users_lower_email ON crm.users USING btree (lower(email));

-- fk constraint: activities fk_activities_company_id_companies

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;

-- fk constraint: activities fk_activities_contact_id_contacts

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;

-- fk constraint: activities fk_activities_deal_id_deals

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;

-- fk constraint: activities fk_activities_user_id_users

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE RESTRICT;

-- fk constraint: activity_daily_companies fk_activity_daily_companies_user_id_users

ALTER TABLE ONLY crm.activity_daily_companies
    ADD CONSTRAINT fk_activity_daily_companies_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;

-- fk constraint: activity_daily_totals fk_activity_daily_totals_user_id_users

ALTER TABLE ONLY crm.activity_daily_totals
    ADD CONSTRAINT fk_activity_daily_totals_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;

-- fk constraint: activity_meetings fk_activity_meetings_activity_id_activities

ALTER TABLE ONLY crm.activity_meetings
    ADD CONSTRAINT fk_activity_meetings_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE CASCADE;

-- fk constraint: activity_meetings fk_activity_meetings_meeting_id_meetings

ALTER TABLE ONLY crm.activity_meetings
    ADD CONSTRAINT fk_activity_meetings_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;

-- fk constraint: companies fk_companies_owner_id_users

ALTER TABLE ONLY crm.companies
    ADD CONSTRAINT fk_companies_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;

-- fk constraint: company_activities fk_company_activities_activity_id_activities

ALTER TABLE ONLY crm.company_activities
    ADD CONSTRAINT fk_company_activities_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE CASCADE;

-- fk constraint: company_activities fk_company_activities_company_id_companies

ALTER TABLE ONLY crm.company_activities
    ADD CONSTRAINT fk_company_activities_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE CASCADE;

-- fk constraint: company_score_history fk_company_score_history_company_id_companies

ALTER TABLE ONLY crm.company_score_history
    ADD CONSTRAINT fk_company_score_history_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE CASCADE;

-- fk constraint: contact_interactions fk_contact_interactions_activity_id_activities

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE CASCADE;

-- fk constraint: contact_interactions fk_contact_interactions_contact_id_contacts

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE CASCADE;

-- fk constraint: contact_interactions fk_contact_interactions_meeting_id_meetings

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;

-- fk constraint: contact_interactions fk_contact_interactions_user_id_users

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE RESTRICT;

-- fk constraint: contacts fk_contacts_company_id_companies

ALTER TABLE ONLY crm.contacts
    ADD CONSTRAINT fk_contacts_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;

-- fk constraint: contacts fk_contacts_owner_id_users

ALTER TABLE ONLY crm.contacts
    ADD CONSTRAINT fk_contacts_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;

-- fk constraint: deal_meetings fk_deal_meetings_deal_id_deals

ALTER TABLE ONLY crm.deal_meetings
    ADD CONSTRAINT fk_deal_meetings_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;

-- fk constraint: deal_meetings fk_deal_meetings_meeting_id_meetings

ALTER TABLE ONLY crm.deal_meetings
    ADD CONSTRAINT fk_deal_meetings_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;

-- fk constraint: deal_score_history fk_deal_score_history_deal_id_deals

ALTER TABLE ONLY crm.deal_score_history
    ADD CONSTRAINT fk_deal_score_history_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;

-- fk constraint: deal_stage_history fk_deal_stage_history_changed_by_users

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_changed_by_users FOREIGN KEY (changed_by) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: deal_stage_history fk_deal_stage_history_deal_id_deals

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;

-- fk constraint: deal_stage_history fk_deal_stage_history_from_stage_id_deal_stages

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_from_stage_id_deal_stages FOREIGN KEY (from_stage_id) REFERENCES crm.deal_stages(id) ON DELETE RESTRICT;

-- fk constraint: deal_stage_history fk_deal_stage_history_to_stage_id_deal_stages

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_to_stage_id_deal_stages FOREIGN KEY (to_stage_id) REFERENCES crm.deal_stages(id) ON DELETE RESTRICT;

-- fk constraint: deal_stakeholders fk_deal_stakeholders_contact_id_contacts

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT fk_deal_stakeholders_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE CASCADE;

-- fk constraint: deal_stakeholders fk_deal_stakeholders_deal_id_deals

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT fk_deal_stakeholders_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;

-- fk constraint: deal_totals fk_deal_totals_owner_id_users

ALTER TABLE ONLY crm.deal_totals
    ADD CONSTRAINT fk_deal_totals_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE CASCADE;

-- fk constraint: deal_totals fk_deal_totals_stage_id_deal_stages

ALTER TABLE ONLY crm.deal_totals
    ADD CONSTRAINT fk_deal_totals_stage_id_deal_stages FOREIGN KEY (stage_id) REFERENCES crm.deal_stages(id) ON DELETE CASCADE;

-- fk constraint: deals fk_deals_company_id_companies

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;

-- fk constraint: deals fk_deals_owner_id_users

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;

-- fk constraint: deals fk_deals_primary_contact_id_contacts

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_primary_contact_id_contacts FOREIGN KEY (primary_contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;

-- fk constraint: deals fk_deals_stage_id_deal_stages

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_stage_id_deal_stages FOREIGN KEY (stage_id) REFERENCES crm.deal_stages(id) ON DELETE RESTRICT;

-- fk constraint: legacy_activities fk_legacy_activities_activity_id_activities

ALTER TABLE ONLY crm.legacy_activities
    ADD CONSTRAINT fk_legacy_activities_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE SET NULL;

-- fk constraint: legacy_deals fk_legacy_deals_deal_id_deals

ALTER TABLE ONLY crm.legacy_deals
    ADD CONSTRAINT fk_legacy_deals_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;

-- fk constraint: legacy_import_runs fk_legacy_import_runs_retry_of_legacy_import_runs

ALTER TABLE ONLY crm.legacy_import_runs
    ADD CONSTRAINT fk_legacy_import_runs_retry_of_legacy_import_runs FOREIGN KEY (retry_of) REFERENCES crm.legacy_import_runs(id) ON DELETE SET NULL;

-- fk constraint: legacy_import_runs fk_legacy_import_runs_started_by_users

ALTER TABLE ONLY crm.legacy_import_runs
    ADD CONSTRAINT fk_legacy_import_runs_started_by_users FOREIGN KEY (started_by) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: legacy_review_items fk_legacy_review_items_import_run_id_legacy_import_runs

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT fk_legacy_review_items_import_run_id_legacy_import_runs FOREIGN KEY (import_run_id) REFERENCES crm.legacy_import_runs(id) ON DELETE SET NULL;

-- fk constraint: legacy_review_items fk_legacy_review_items_legacy_deal_id_legacy_deals

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT fk_legacy_review_items_legacy_deal_id_legacy_deals FOREIGN KEY (legacy_deal_id) REFERENCES crm.legacy_deals(id) ON DELETE CASCADE;

-- fk constraint: legacy_review_items fk_legacy_review_items_resolved_by_users

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT fk_legacy_review_items_resolved_by_users FOREIGN KEY (resolved_by) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: meeting_action_items fk_meeting_action_items_assignee_id_users

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT fk_meeting_action_items_assignee_id_users FOREIGN KEY (assignee_id) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: meeting_action_items fk_meeting_action_items_meeting_id_meetings

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT fk_meeting_action_items_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;

-- fk constraint: meeting_action_items fk_meeting_action_items_task_id_tasks

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT fk_meeting_action_items_task_id_tasks FOREIGN KEY (task_id) REFERENCES crm.tasks(id) ON DELETE SET NULL;

-- fk constraint: meeting_attendees fk_meeting_attendees_contact_id_contacts

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT fk_meeting_attendees_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;

-- fk constraint: meeting_attendees fk_meeting_attendees_meeting_id_meetings

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT fk_meeting_attendees_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;

-- fk constraint: meeting_attendees fk_meeting_attendees_user_id_users

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT fk_meeting_attendees_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: meeting_sequences fk_meeting_sequences_deal_id_deals

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT fk_meeting_sequences_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;

-- fk constraint: meeting_sequences fk_meeting_sequences_meeting_id_meetings

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT fk_meeting_sequences_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;

-- fk constraint: meeting_sequences fk_meeting_sequences_previous_meeting_id_meetings

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT fk_meeting_sequences_previous_meeting_id_meetings FOREIGN KEY (previous_meeting_id) REFERENCES crm.meetings(id) ON DELETE SET NULL;

-- fk constraint: meetings fk_meetings_company_id_companies

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;

-- fk constraint: meetings fk_meetings_owner_id_users

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;

-- fk constraint: meetings fk_meetings_primary_contact_id_contacts

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_primary_contact_id_contacts FOREIGN KEY (primary_contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;

-- fk constraint: meetings fk_meetings_primary_deal_id_deals

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_primary_deal_id_deals FOREIGN KEY (primary_deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;

-- fk constraint: targets fk_targets_user_id_users

ALTER TABLE ONLY crm.targets
    ADD CONSTRAINT fk_targets_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;

-- fk constraint: task_totals fk_task_totals_assigned_to_users

ALTER TABLE ONLY crm.task_totals
    ADD CONSTRAINT fk_task_totals_assigned_to_users FOREIGN KEY (assigned_to) REFERENCES crm.users(id) ON DELETE CASCADE;

-- fk constraint: tasks fk_tasks_assigned_to_users

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_assigned_to_users FOREIGN KEY (assigned_to) REFERENCES crm.users(id) ON DELETE RESTRICT;

-- fk constraint: tasks fk_tasks_company_id_companies

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;

-- fk constraint: tasks fk_tasks_contact_id_contacts

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;

-- fk constraint: tasks fk_tasks_created_by_users

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_created_by_users FOREIGN KEY (created_by) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: tasks fk_tasks_deal_id_deals

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;

-- fk constraint: tasks fk_tasks_meeting_id_meetings

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE SET NULL;

-- fk constraint: tasks fk_tasks_parent_task_id_tasks

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_parent_task_id_tasks FOREIGN KEY (parent_task_id) REFERENCES crm.tasks(id) ON DELETE CASCADE;

-- fk constraint: teams fk_teams_manager_id_users

ALTER TABLE ONLY crm.teams
    ADD CONSTRAINT fk_teams_manager_id_users FOREIGN KEY (manager_id) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: users fk_users_manager_id_users

ALTER TABLE ONLY crm.users
    ADD CONSTRAINT fk_users_manager_id_users FOREIGN KEY (manager_id) REFERENCES crm.users(id) ON DELETE SET NULL;

-- fk constraint: users fk_users_team_id_teams

ALTER TABLE ONLY crm.users
    ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES crm.teams(id) ON DELETE SET NULL;

-- the default pipeline (admins edit it later); fixed ids so tests and the demo
-- data can name a stage
insert into crm.deal_stages (id, name, color, position, default_probability, is_won, is_lost) values
  ('00000000-0000-4000-8000-000000000010', 'Lead',        '#64748b', 10,  10, false, false),
  ('00000000-0000-4000-8000-000000000020', 'Qualified',   '#0ea5e9', 20,  25, false, false),
  ('00000000-0000-4000-8000-000000000030', 'Opportunity', '#8b5cf6', 30,  60, false, false),
  ('00000000-0000-4000-8000-000000000040', 'Verbal',      '#f59e0b', 40,  80, false, false),
  ('00000000-0000-4000-8000-000000000050', 'Won',         '#10b981', 50, 100, true,  false),
  ('00000000-0000-4000-8000-000000000060', 'Lost',        '#ef4444', 60,   0, false, true);

-- row-level security on every table, for the owner too; the policies are in sql/policies/

ALTER TABLE crm.activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.activities FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.activity_daily_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.activity_daily_companies FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.activity_daily_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.activity_daily_totals FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.activity_meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.activity_meetings FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.audit_log FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.companies FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.company_activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.company_activities FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.company_score_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.company_score_history FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.contact_interactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.contact_interactions FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.contacts FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.deal_meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.deal_meetings FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.deal_score_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.deal_score_history FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.deal_stage_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.deal_stage_history FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.deal_stages ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.deal_stages FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.deal_stakeholders ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.deal_stakeholders FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.deal_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.deal_totals FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.deals ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.deals FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.legacy_activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.legacy_activities FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.legacy_deals ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.legacy_deals FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.legacy_import_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.legacy_import_runs FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.legacy_review_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.legacy_review_items FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.login_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.login_attempts FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.meeting_action_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.meeting_action_items FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.meeting_attendees ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.meeting_attendees FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.meeting_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.meeting_sequences FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.meetings FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.targets FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.task_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.task_totals FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.tasks FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.teams FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.users FORCE ROW LEVEL SECURITY;
ALTER TABLE crm.win_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE ONLY crm.win_models FORCE ROW LEVEL SECURITY;

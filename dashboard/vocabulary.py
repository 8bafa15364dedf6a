"""Every closed vocabulary the CRM stores, defined once.

Each tuple lists the values a column's CHECK constraint allows, in the order
people see them (forms, filters, legends). tests/test_vocabulary.py compares
each with its constraint in ``pg_constraint``, so a migration that changes a
CHECK and this module cannot drift apart. Forms, filters, the demo generator
and the importer import their choices from here.
"""

from __future__ import annotations

# --- people ---------------------------------------------------------------------------
USER_ROLES = ("rep", "manager", "admin")

# --- companies and contacts -----------------------------------------------------------
COMPANY_SIZES = ("startup", "small", "medium", "large", "enterprise")
ACCOUNT_TIERS = ("enterprise", "mid-market", "smb", "startup")
SENIORITIES = ("entry", "mid", "senior", "executive", "c-level")
CONTACT_METHODS = ("email", "phone", "linkedin", "text")
INTERACTION_TYPES = ("email", "call", "meeting", "social", "text", "other")
INTERACTION_DIRECTIONS = ("inbound", "outbound")

# --- deals ----------------------------------------------------------------------------
DEAL_STATUSES = ("active", "won", "lost")
STAKEHOLDER_ROLES = (
    "decision_maker", "influencer", "champion", "gatekeeper", "technical_evaluator", "budget_holder",
    "end_user", "procurement", "legal", "other",
)  # fmt: skip
INFLUENCE_LEVELS = ("low", "medium", "high", "critical")
# the forecast category an open deal's owner chooses (stored); a won or lost deal is "closed_won" or
# "closed_lost" by its status, derived, never chosen (FORECAST_VIEWS: what lists and exports show)
FORECAST_CATEGORIES = ("pipeline", "best_case", "commit")
FORECAST_CLOSED = {"won": "closed_won", "lost": "closed_lost"}
FORECAST_VIEWS = (*FORECAST_CATEGORIES, "closed_won", "closed_lost")

# --- activities, meetings, tasks ------------------------------------------------------
ACTIVITY_TYPES = ("outbound", "meeting", "proposal", "sale", "call", "email", "note")
ACTIVITY_STATUSES = ("pending", "completed", "cancelled", "no_show")
ACTIVITY_SOURCES = ("manual", "email", "calendar", "crm", "integration", "import")
ENGAGEMENT_QUALITIES = ("low", "medium", "high", "excellent")
OUTCOME_PREDICTIONS = ("positive", "neutral", "negative", "unclear")
MEETING_TYPES = (
    "discovery", "demo", "proposal_presentation", "negotiation", "closing", "check_in", "technical_review",
    "stakeholder_alignment", "decision_maker_meeting", "other",
)  # fmt: skip
MEETING_OUTCOMES = ("positive", "neutral", "negative", "no_show", "reschedule", "cancelled", "pending")
PRIORITIES = ("low", "medium", "high", "urgent")  # tasks and meeting action items
TASK_STATUSES = ("pending", "in_progress", "completed", "cancelled")
OPEN_TASK_STATUSES = ("pending", "in_progress")
TASK_TYPES = ("general", "call", "email", "meeting", "follow_up", "proposal", "demo")
MAX_TASK_DEPTH = 5  # subtask levels below a top-level task (app.tasks_maintain_hierarchy refuses deeper)

# --- links and history ----------------------------------------------------------------
COMPANY_LINK_SOURCES = ("direct", "contact", "deal", "email_domain", "name_match", "fuzzy_match", "manual", "legacy")
DEAL_MEETING_LINK_SOURCES = ("direct", "primary_deal", "inferred", "manual", "legacy")
AUDIT_ACTIONS = ("insert", "update", "delete")
SESSION_PURPOSES = ("web", "job")  # a browser login; a session forked for background work
WIN_MODEL_ALGORITHMS = ("logistic_regression", "stage_default")

# --- record timelines (crm.record_timeline): what an entry is ------------------------------
TIMELINE_KINDS = ("activity", "note", "meeting", "task", "stage_change")

# --- saved views -----------------------------------------------------------------------
SAVED_VIEW_LISTS = ("tasks", "deals", "companies", "contacts", "activities", "meetings")

# --- legacy import --------------------------------------------------------------------
LEGACY_ROW_SOURCES = ("csv", "demo")
LEGACY_COMPANY_LINKS = ("email_domain", "name_match", "fuzzy_match", "contact", "manual", "created")
LEGACY_CONTACT_LINKS = ("email", "name_match", "created", "manual")
LEGACY_RUN_SOURCES = ("csv", "staging", "upload")
LEGACY_RUN_STATUSES = ("draft", "queued", "running", "completed", "failed")  # draft: a record import being mapped
IMPORT_ENTITIES = ("companies", "contacts", "deals")  # what a record import (CSV with a mapping) creates
IMPORT_DUPLICATES = ("skip", "update", "create")  # what a record import does with a row matching an existing one
LEGACY_REVIEW_REASONS = ("no_email_no_company", "two_candidates", "fuzzy_uncertain", "no_company")
LEGACY_REVIEW_STATUSES = ("pending", "resolved", "dismissed")
DUPLICATE_KINDS = ("companies", "contacts")  # what the duplicate scan compares and a merge joins
DUPLICATE_STATUSES = ("open", "dismissed")  # a pair dismissed as not a duplicate stays dismissed
BACKUP_KINDS = ("archive", "base")  # a pg_dump archive with its manifest; a base backup of the embedded server
BACKUP_TRIGGERS = ("command", "schedule", "admin")  # crm db backup; the nightly job; the backups page's button
BACKUP_STATUSES = ("succeeded", "failed")
# webhook events an endpoint may subscribe to (docs/webhooks.md); webhook.test is the admin page's test message
WEBHOOK_ENTITIES = ("company", "contact", "deal", "activity", "meeting", "task")
WEBHOOK_ACTIONS = ("created", "updated", "deleted")
WEBHOOK_EVENTS = (*(f"{entity}.{action}" for entity in WEBHOOK_ENTITIES for action in WEBHOOK_ACTIONS),
                  "deal.stage_changed", "deal.won", "deal.lost")
WEBHOOK_EVENT_TYPES = (*WEBHOOK_EVENTS, "webhook.test")
WEBHOOK_DELIVERY_STATUSES = ("pending", "succeeded", "failed")

# Personal access tokens of the REST API (sql/functions/tokens.sql)
API_TOKEN_SCOPES = ("read", "write")  # write also reads
API_TOKEN_PREFIX = "crm_pat_"  # every token starts so (app.new_api_token); 12 characters are kept to recognise it
API_TOKEN_REFUSALS = ("invalid", "revoked", "expired", "inactive")  # app.api_token_status besides ok
API_TOKEN_MAX_EXPIRY_DAYS = 3650

# --- calendar sync (CalDAV) --------------------------------------------------------------
# a connection's state on /account/calendar: never synced, fine, wrong user name or password, no answer, other
CALENDAR_SYNC_STATUSES = ("pending", "ok", "auth_failed", "unreachable", "error")
CALENDAR_EVENT_ORIGINS = ("calendar", "crm")  # where a synced event was made; also the side a conflict kept

# --- notifications (issue 18) ----------------------------------------------------------
NOTIFICATION_KINDS = ("task_due", "meeting_soon", "deal_stalled", "deal_assigned", "webhook_failing")
NOTIFICATION_CHANNELS = ("in_app", "email", "both", "off")
# a kind's channel until the user chooses (sql crm.notification_default_channel says the same)
NOTIFICATION_DEFAULTS = {"task_due": "both", "meeting_soon": "in_app", "deal_stalled": "in_app",
                         "deal_assigned": "both", "webhook_failing": "both"}  # fmt: skip
NOTIFICATION_EMAIL_STATUSES = ("none", "pending", "digest", "sent", "failed", "expired")
NOTIFICATION_EMAIL_MODES = ("each", "digest")  # one message per notice, or a daily digest

# --- mailbox sync (dashboard/mail) -----------------------------------------------------------
# pending: connected, not synced yet; auth_failed / unreachable / failing: retried with backoff;
# credentials_unreadable: the secret key changed (or the blob was altered): never retried, reconnect
MAIL_ACCOUNT_STATUSES = ("pending", "ok", "auth_failed", "unreachable", "failing", "credentials_unreadable")
MAIL_DIRECTIONS = ("inbound", "outbound")  # a synced message: from a contact, or from the user
MAIL_SUGGESTION_STATUSES = ("open", "accepted", "dismissed")  # an address offered as a new contact

# The CHECK constraint each vocabulary mirrors (checked by tests/test_vocabulary.py).
CONSTRAINTS = {
    "check_users_role": USER_ROLES,
    "check_companies_size": COMPANY_SIZES,
    "check_companies_account_tier": ACCOUNT_TIERS,
    "check_contacts_job_seniority": SENIORITIES,
    "check_contacts_preferred_contact_method": CONTACT_METHODS,
    "check_contact_interactions_type": INTERACTION_TYPES,
    "check_contact_interactions_direction": INTERACTION_DIRECTIONS,
    "check_deals_status": DEAL_STATUSES,
    "check_deals_forecast_category": FORECAST_CATEGORIES,
    "check_deal_stakeholders_role": STAKEHOLDER_ROLES,
    "check_deal_stakeholders_influence": INFLUENCE_LEVELS,
    "check_activities_type": ACTIVITY_TYPES,
    "check_activities_status": ACTIVITY_STATUSES,
    "check_activities_source": ACTIVITY_SOURCES,
    "check_activities_engagement_quality": ENGAGEMENT_QUALITIES,
    "check_activities_outcome_prediction": OUTCOME_PREDICTIONS,
    "check_meetings_type": MEETING_TYPES,
    "check_meetings_outcome": MEETING_OUTCOMES,
    "check_deal_meetings_outcome": MEETING_OUTCOMES,
    "check_meeting_action_items_priority": PRIORITIES,
    "check_tasks_priority": PRIORITIES,
    "check_tasks_status": TASK_STATUSES,
    "check_tasks_type": TASK_TYPES,
    "check_company_activities_link_source": COMPANY_LINK_SOURCES,
    "check_deal_meetings_link_source": DEAL_MEETING_LINK_SOURCES,
    "check_audit_log_action": AUDIT_ACTIONS,
    "check_sessions_purpose": SESSION_PURPOSES,
    "check_calendar_connections_status": CALENDAR_SYNC_STATUSES,
    "check_calendar_events_origin": CALENDAR_EVENT_ORIGINS,
    "check_calendar_conflicts_kept": CALENDAR_EVENT_ORIGINS,
    "check_win_models_algorithm": WIN_MODEL_ALGORITHMS,
    "check_saved_views_list": SAVED_VIEW_LISTS,
    "check_legacy_deals_source": LEGACY_ROW_SOURCES,
    "check_legacy_activities_source": LEGACY_ROW_SOURCES,
    "check_legacy_deals_company_link": LEGACY_COMPANY_LINKS,
    "check_legacy_deals_contact_link": LEGACY_CONTACT_LINKS,
    "check_legacy_import_runs_source": LEGACY_RUN_SOURCES,
    "check_legacy_import_runs_status": LEGACY_RUN_STATUSES,
    "check_legacy_import_runs_entity": IMPORT_ENTITIES,
    "check_import_mappings_entity": IMPORT_ENTITIES,
    "check_legacy_review_items_reason": LEGACY_REVIEW_REASONS,
    "check_legacy_review_items_status": LEGACY_REVIEW_STATUSES,
    "check_duplicate_pairs_kind": DUPLICATE_KINDS,
    "check_duplicate_pairs_status": DUPLICATE_STATUSES,
    "check_record_merges_kind": DUPLICATE_KINDS,
    "check_backups_kind": BACKUP_KINDS,
    "check_backups_trigger": BACKUP_TRIGGERS,
    "check_backups_status": BACKUP_STATUSES,
    "check_webhook_events_type": WEBHOOK_EVENT_TYPES,
    "check_webhook_deliveries_status": WEBHOOK_DELIVERY_STATUSES,
    "check_api_tokens_scope": API_TOKEN_SCOPES,
    "check_notifications_kind": NOTIFICATION_KINDS,
    "check_notifications_email_status": NOTIFICATION_EMAIL_STATUSES,
    "check_notification_preferences_kind": NOTIFICATION_KINDS,
    "check_notification_preferences_channel": NOTIFICATION_CHANNELS,
    "check_notification_settings_email_mode": NOTIFICATION_EMAIL_MODES,
    "check_mail_accounts_status": MAIL_ACCOUNT_STATUSES,
    "check_mail_messages_direction": MAIL_DIRECTIONS,
    "check_mail_contact_suggestions_status": MAIL_SUGGESTION_STATUSES,
}

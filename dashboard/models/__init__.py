"""SQLAlchemy models mapping the ``crm`` schema that the SQL migrations create.

The migrations own the schema: never call ``Base.metadata.create_all()``.
"""

from dashboard.models.activity import Activity, ActivityDailyCompany, ActivityDailyTotal
from dashboard.models.audit import AuditLog, LoginAttempt
from dashboard.models.base import Base
from dashboard.models.company import Company
from dashboard.models.contact import Contact
from dashboard.models.deal import Deal, DealStageHistory, DealTotal
from dashboard.models.deal_stage import DealStage, LostReason
from dashboard.models.duplicates import DuplicatePair, RecordMerge
from dashboard.models.forecast import ForecastSnapshot, Quota
from dashboard.models.imports import ImportMapping
from dashboard.models.intelligence import CompanyScoreHistory, DealScoreHistory, WinModel
from dashboard.models.legacy import LegacyActivity, LegacyDeal, LegacyImportRun, LegacyReviewItem
from dashboard.models.mail import MailAccount, MailContactSuggestion, MailMessage, MailNeverLog
from dashboard.models.meeting import Meeting, MeetingActionItem, MeetingAttendee
from dashboard.models.relationships import (
    ActivityMeeting,
    CompanyActivity,
    ContactInteraction,
    DealMeeting,
    DealStakeholder,
    MeetingSequence,
)
from dashboard.models.saved_view import SavedView
from dashboard.models.task import Task, TaskTotal
from dashboard.models.user import Target, Team, User

__all__ = [
    "Activity",
    "ActivityDailyCompany",
    "ActivityDailyTotal",
    "ActivityMeeting",
    "AuditLog",
    "Base",
    "Company",
    "CompanyActivity",
    "CompanyScoreHistory",
    "Contact",
    "ContactInteraction",
    "Deal",
    "ForecastSnapshot",
    "ImportMapping",
    "DealMeeting",
    "DealScoreHistory",
    "DealStage",
    "DealStageHistory",
    "DealTotal",
    "DuplicatePair",
    "DealStakeholder",
    "LegacyActivity",
    "LegacyDeal",
    "LegacyImportRun",
    "LegacyReviewItem",
    "MailAccount",
    "MailContactSuggestion",
    "MailMessage",
    "MailNeverLog",
    "LoginAttempt",
    "LostReason",
    "Meeting",
    "MeetingActionItem",
    "MeetingAttendee",
    "MeetingSequence",
    "Quota",
    "RecordMerge",
    "SavedView",
    "Target",
    "Task",
    "TaskTotal",
    "Team",
    "User",
    "WinModel",
]

"""People at accounts (``crm.contacts``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Numeric, Text, literal_column, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin

if TYPE_CHECKING:
    from dashboard.models.activity import Activity
    from dashboard.models.company import Company
    from dashboard.models.deal import Deal
    from dashboard.models.relationships import ContactInteraction, DealStakeholder
    from dashboard.models.user import User


class Contact(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """A person at an account; engagement and decision-maker scores are computed."""

    __tablename__ = "contacts"

    first_name: Mapped[str]
    last_name: Mapped[str] = mapped_column(server_default=text("''"))
    email: Mapped[str | None]  # unique case-insensitively
    phone: Mapped[str | None]
    title: Mapped[str | None]
    company_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.companies.id", ondelete="SET NULL"))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="RESTRICT"))
    job_seniority: Mapped[str | None]  # one of vocabulary.SENIORITIES
    decision_maker_score: Mapped[Decimal] = mapped_column(
        Numeric(3, 2, asdecimal=True), server_default=text("0")
    )
    engagement_score: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True), server_default=text("0"))
    social_media_urls: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    interaction_count: Mapped[int] = mapped_column(server_default=text("0"))
    last_interaction_date: Mapped[datetime | None]
    # one of vocabulary.CONTACT_METHODS
    preferred_contact_method: Mapped[str] = mapped_column(server_default=text("'email'"))

    company: Mapped[Company | None] = relationship(back_populates="contacts")
    owner: Mapped[User] = relationship()
    primary_deals: Mapped[list[Deal]] = relationship(back_populates="primary_contact", passive_deletes=True)
    activities: Mapped[list[Activity]] = relationship(back_populates="contact", passive_deletes=True)
    deal_stakeholders: Mapped[list[DealStakeholder]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", passive_deletes=True
    )
    interactions: Mapped[list[ContactInteraction]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", passive_deletes=True
    )


# "first last", written exactly as the indexes on lower() of it are (index_contacts_on_full_name_trgm,
# index_contacts_on_owner_id_and_lower_full_name): a literal ' ', not a bound parameter, so the planner
# can match them (under RLS only once lower(), || and LIKE count as leakproof:
# see test_name_search_uses_the_trigram_index_under_rls)
FULL_NAME = Contact.first_name.op("||")(literal_column("' '")).op("||")(Contact.last_name)

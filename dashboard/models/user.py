"""People: teams, users and their monthly targets (``crm.teams``, ``crm.users``, ``crm.targets``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import FetchedValue, ForeignKey, Numeric, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin


class Team(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """A sales team, optionally with a manager."""

    __tablename__ = "teams"

    name: Mapped[str]
    description: Mapped[str | None]
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))

    # teams.manager_id -> users and users.team_id -> teams form a cycle: a new
    # manager who is also a member of their new team is saved with a second
    # UPDATE of teams.manager_id (post_update, on both sides of that key).
    manager: Mapped[User | None] = relationship(
        foreign_keys=[manager_id], post_update=True, back_populates="managed_teams"
    )
    members: Mapped[list[User]] = relationship(foreign_keys="User.team_id", back_populates="team", passive_deletes=True)


class User(UserMixin, UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """Someone who logs in: a rep, manager or admin (also the Flask-Login user)."""

    __tablename__ = "users"

    email: Mapped[str]
    full_name: Mapped[str]
    # password_hash is not mapped: crm_app may not read it (see sql/functions/login.sql)
    role: Mapped[str] = mapped_column(server_default=text("'rep'"))  # one of vocabulary.USER_ROLES
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.teams.id", ondelete="SET NULL"))
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    # the column, not UserMixin's always-True property: Flask-Login refuses inactive users
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
    ai_features: Mapped[bool] = mapped_column(server_default=text("false"))
    time_zone: Mapped[str | None]  # an IANA name (dashboard/timezones.py); None: not chosen yet, UTC
    # written only by definer functions (crm_app has no INSERT/UPDATE on them): FetchedValue keeps
    # them out of the ORM's INSERT
    failures_cleared_at: Mapped[datetime | None] = mapped_column(server_default=FetchedValue())  # an admin's unlock
    last_login_at: Mapped[datetime | None] = mapped_column(server_default=FetchedValue())

    team: Mapped[Team | None] = relationship(foreign_keys=[team_id], back_populates="members")
    managed_teams: Mapped[list[Team]] = relationship(
        foreign_keys=[Team.manager_id], post_update=True, back_populates="manager", passive_deletes=True
    )
    manager: Mapped[User | None] = relationship(
        foreign_keys=[manager_id], remote_side="User.id", back_populates="reports"
    )
    reports: Mapped[list[User]] = relationship(
        foreign_keys=[manager_id], back_populates="manager", passive_deletes=True
    )
    targets: Mapped[list[Target]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True, order_by="Target.month"
    )

    # UserMixin compares users by get_id(); ORM collections need identity
    # semantics (two unsaved users would otherwise be "equal").
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    # the database session this user object was loaded through (auth.load_user)
    session_token = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the session token app.log_in issued."""
        if not self.session_token:
            raise ValueError("a user is logged in through app.log_in's session token only")
        return self.session_token


class Target(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """A user's targets for one month (revenue, outbound, meetings, proposals)."""

    __tablename__ = "targets"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    month: Mapped[date]  # always the first day of the month
    revenue_target: Mapped[Decimal] = mapped_column(Numeric(14, 2, asdecimal=True), server_default=text("0"))
    outbound_target: Mapped[int] = mapped_column(server_default=text("0"))
    meetings_target: Mapped[int] = mapped_column(server_default=text("0"))
    proposals_target: Mapped[int] = mapped_column(server_default=text("0"))

    user: Mapped[User] = relationship(back_populates="targets")

"""A user's notifications as the pages see them (row-level security: only their own), the bell's count, marking
read, and their preferences: a channel per kind (in app, email, both, off) and how email comes (one message per
notice, or a daily digest at a time of their day).

Notices are produced elsewhere (``crm.produce_notifications`` by the worker's ``notify`` task, the deal
assignment trigger); this module never inserts one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import text

from dashboard import timezones, vocabulary
from dashboard.db import db
from dashboard.notifications.texts import SUBJECTS, describe

BELL_CAP = 100  # the bell counts up to this many unread notices ("99+" beyond)
LINKS = {"task_due": "tasks.show", "meeting_soon": "meetings.show", "deal_stalled": "deals.show",
         "deal_assigned": "deals.show"}  # fmt: skip


@dataclass(frozen=True)
class Notice:
    id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    title: str
    at: dt.datetime | None
    detail: str | None
    read_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def subject(self) -> str:
        return SUBJECTS[self.kind]

    @property
    def sentence(self) -> str:
        return describe(self.kind, self.title, self.at, self.detail, timezones.zone(), timezones.today())

    @property
    def link(self) -> str | None:
        return link_for(self.kind, self.record_id)


def link_for(kind: str, record_id: uuid.UUID) -> str | None:
    """The page of the notice's record (a webhook failure: the webhooks admin page, once issue 17's is there)."""
    if kind in LINKS:
        return url_for(LINKS[kind], id=record_id)
    return url_for("webhooks.show", id=record_id) if "webhooks.show" in current_app.view_functions else None


def unread_count() -> int:
    """The acting user's unread in-app notices, counted up to BELL_CAP (one index-only range scan)."""
    return db.session.execute(
        text("""select count(*) from (select 1 from crm.notifications
                 where user_id = app.active_user_id() and in_app and read_at is null limit :cap) n"""),
        {"cap": BELL_CAP},
    ).scalar_one()


def page(number: int, size: int) -> tuple[list[Notice], bool]:
    """One page of the acting user's in-app notices, newest first, and whether there is another."""
    rows = db.session.execute(
        text("""select id, kind, record_id, title, at, detail, read_at, created_at from crm.notifications
                 where user_id = app.active_user_id() and in_app
                 order by created_at desc, id desc limit :limit offset :offset"""),
        {"limit": size + 1, "offset": (number - 1) * size},
    ).all()
    return [Notice(*row) for row in rows[:size]], len(rows) > size


def mark_read(notice_id: uuid.UUID) -> str | None:
    """Mark one of the acting user's notices read; the link to its record ("" when it has none), None when the
    notice is not theirs or does not exist."""
    row = db.session.execute(
        text("""update crm.notifications set read_at = coalesce(read_at, now())
                 where id = :id and user_id = app.active_user_id() and in_app returning kind, record_id"""),
        {"id": notice_id},
    ).first()
    return None if row is None else (link_for(*row) or "")


def mark_all_read() -> int:
    return db.session.execute(
        text("""update crm.notifications set read_at = now()
                 where user_id = app.active_user_id() and in_app and read_at is null"""),
    ).rowcount


@dataclass(frozen=True)
class Preferences:
    channels: dict[str, str]  # kind -> channel
    email_mode: str  # each, digest
    digest_time: dt.time


def preferences() -> Preferences:
    """The acting user's channels (defaults where they chose none) and email settings."""
    chosen = dict(db.session.execute(
        text("select kind, channel from crm.notification_preferences where user_id = app.active_user_id()")
    ).all())  # fmt: skip
    settings = db.session.execute(
        text("select email_mode, digest_time from crm.notification_settings where user_id = app.active_user_id()")
    ).first()
    defaults = vocabulary.NOTIFICATION_DEFAULTS
    channels = {kind: chosen.get(kind, defaults[kind]) for kind in vocabulary.NOTIFICATION_KINDS}
    return Preferences(channels, settings[0] if settings else "each", settings[1] if settings else dt.time(8))


def save_preferences(user_id: uuid.UUID, channels: dict[str, str], email_mode: str, digest_time: dt.time) -> None:
    """Store the acting user's choices (every kind gets a row: a later change of default does not move them)."""
    for kind, channel in channels.items():
        db.session.execute(
            text("""insert into crm.notification_preferences (user_id, kind, channel) values (:u, :k, :c)
                    on conflict (user_id, kind) do update set channel = excluded.channel, updated_at = now()
                    where crm.notification_preferences.channel is distinct from excluded.channel"""),
            {"u": user_id, "k": kind, "c": channel},
        )
    db.session.execute(
        text("""insert into crm.notification_settings (user_id, email_mode, digest_time) values (:u, :m, :t)
                on conflict (user_id) do update set email_mode = excluded.email_mode,
                    digest_time = excluded.digest_time, updated_at = now()"""),
        {"u": user_id, "m": email_mode, "t": digest_time},
    )


def unsubscribe(user_id: uuid.UUID, kind: str) -> str | None:
    """Turn off the email of ``kind`` for ``user_id`` (a checked link's); the channel now in force."""
    return db.session.execute(
        text("select app.unsubscribe_notification_email(:u, :k)"), {"u": user_id, "k": kind}
    ).scalar_one_or_none()

"""The worker's email pass (task ``notify``): notices whose email is pending go out one message each; a user who
chose the daily digest gets one message with all of theirs once their day has reached their digest time. Times
are in each recipient's zone; each message is plain text with an unsubscribe link that needs no login (a signed
per-user, per-kind token) and List-Unsubscribe headers.

Runs on the worker's operator connection (it reads every user's pending notices, as the producer writes them).
A notice is marked sent as soon as its message is accepted (committed one by one: a crash resends nothing
already sent); an SMTP server that cannot be reached leaves them pending for the next pass; email still
unsent two days after its notice is marked expired (configuring SMTP later sends no old news).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import quote

import psycopg

from dashboard import timezones
from dashboard.notifications import smtp, tokens
from dashboard.notifications.texts import KIND_LABELS, SUBJECTS, describe

log = logging.getLogger("dashboard.notifications")
EXPIRE_AFTER = dt.timedelta(days=2)
BATCH = 500  # messages per pass at most (the next pass, a minute later, goes on)
PATHS = {"task_due": "/tasks/{}", "meeting_soon": "/meetings/{}", "deal_stalled": "/deals/{}",
         "deal_assigned": "/deals/{}", "webhook_failing": "/admin/webhooks/{}"}  # fmt: skip
SELECT = """select n.id, n.kind, n.record_id, n.title, n.at, n.detail, u.id, u.email, u.full_name,
                  coalesce(u.time_zone, 'UTC') as zone
             from crm.notifications n join crm.users u on u.id = n.user_id"""
PENDING_EACH = SELECT + " where n.email_status = 'pending' order by n.created_at, n.id limit %(limit)s"
DUE_DIGESTS = SELECT + """
  left join crm.notification_settings s on s.user_id = u.id
 where n.email_status = 'digest'
   and (%(now)s at time zone coalesce(u.time_zone, 'UTC'))::time >= coalesce(s.digest_time, '08:00')
   and (s.digest_sent_on is null or s.digest_sent_on < (%(now)s at time zone coalesce(u.time_zone, 'UTC'))::date)
 order by u.id, n.created_at, n.id"""


@dataclass(frozen=True)
class Outgoing:
    id: object
    kind: str
    record_id: object
    title: str
    at: dt.datetime | None
    detail: str | None
    user_id: object
    email: str
    full_name: str
    time_zone: str


@dataclass(frozen=True)
class Links:
    """What a message links to: the app's address and the secret that signs unsubscribe tokens."""

    base_url: str
    secret: str

    def record(self, n: Outgoing) -> str:
        return self.base_url.rstrip("/") + PATHS[n.kind].format(n.record_id)

    def unsubscribe(self, user_id, kind: str) -> str:
        return f"{self.base_url.rstrip('/')}/unsubscribe?token={quote(tokens.make(self.secret, user_id, kind))}"

    def preferences(self) -> str:
        return self.base_url.rstrip("/") + "/account/notifications"


def _zone(n: Outgoing):
    return timezones.zone(n.time_zone)


def _sentence(n: Outgoing, now: dt.datetime) -> str:
    tz = _zone(n)
    return describe(n.kind, n.title, n.at, n.detail, tz, now.astimezone(tz).date())


def _message(to: Outgoing, subject: str, body: str, links: Links, kinds: list[str], now: dt.datetime,
             server: smtp.Server) -> EmailMessage:  # fmt: skip
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = server.sender
    message["To"] = formataddr((to.full_name, to.email))
    message["Date"] = format_datetime(now.astimezone(_zone(to)))
    message["Message-ID"] = make_msgid(domain="sales-dashboard")
    message["Auto-Submitted"] = "auto-generated"
    if len(kinds) == 1:
        message["List-Unsubscribe"] = f"<{links.unsubscribe(to.user_id, kinds[0])}>"
    footer = [f"Stop emails like this ({KIND_LABELS[k].lower()}): {links.unsubscribe(to.user_id, k)}" for k in kinds]
    footer.append(f"All your notification settings: {links.preferences()}")
    message.set_content(f"Hello {to.full_name},\n\n{body}\n\n-- \n" + "\n".join(footer) + "\n")
    return message


def one_message(n: Outgoing, links: Links, now: dt.datetime, server: smtp.Server) -> EmailMessage:
    body = f"{_sentence(n, now)}\n\nOpen it: {links.record(n)}"
    return _message(n, f"{SUBJECTS[n.kind]}: {n.title}", body, links, [n.kind], now, server)


def digest_message(notices: list[Outgoing], links: Links, now: dt.datetime, server: smtp.Server) -> EmailMessage:
    first = notices[0]
    day = now.astimezone(_zone(first)).date()
    lines = [f"- {_sentence(n, now)}\n  {links.record(n)}" for n in notices]
    count = len(notices)
    body = f"Your {count} notification{'s' if count != 1 else ''} since the last digest:\n\n" + "\n".join(lines)
    kinds = sorted({n.kind for n in notices}, key=list(KIND_LABELS).index)
    return _message(first, f"Your daily digest for {day:%a} {day.day} {day:%b %Y}: {count} notification"
                    f"{'s' if count != 1 else ''}", body, links, kinds, now, server)  # fmt: skip


def _mark(conn: psycopg.Connection, ids: list, status: str) -> None:
    conn.execute("update crm.notifications set email_status = %s, emailed_at = now() where id = any(%s)", (status, ids))
    conn.commit()


def _deliver(conn, connection, message: EmailMessage, ids: list) -> None:
    try:
        smtp.send(connection, message)
    except smtplib.SMTPRecipientsRefused:
        _mark(conn, ids, "failed")
        return
    _mark(conn, ids, "sent")


def pending_each(conn: psycopg.Connection) -> list[Outgoing]:
    rows = conn.execute(PENDING_EACH, {"limit": BATCH})
    return [Outgoing(*row) for row in rows]


def due_digests(conn: psycopg.Connection, now: dt.datetime) -> dict[object, list[Outgoing]]:
    """Per user whose digest time has come today (their zone) and who got none today: their digest notices."""
    rows = conn.execute(DUE_DIGESTS, {"now": now})
    users: dict[object, list[Outgoing]] = {}
    for row in rows:
        users.setdefault(row[6], []).append(Outgoing(*row))
    return users


def expire(conn: psycopg.Connection) -> int:
    """Email not sent within EXPIRE_AFTER of its notice (the clock of the database) is no longer sent."""
    count = conn.execute("""update crm.notifications set email_status = 'expired'
                             where email_status in ('pending', 'digest') and created_at < now() - %s""",
                         (EXPIRE_AFTER,)).rowcount  # fmt: skip
    conn.commit()
    return count


def _record_digest(conn, user_id, now: dt.datetime, time_zone: str) -> None:
    conn.execute(
        """insert into crm.notification_settings (user_id, email_mode, digest_sent_on) values (%(u)s, 'digest', %(day)s)
           on conflict (user_id) do update set digest_sent_on = excluded.digest_sent_on""",
        {"u": user_id, "day": now.astimezone(timezones.zone(time_zone)).date()},
    )


def send_due(conn: psycopg.Connection, server: smtp.Server, links: Links, now: dt.datetime | None = None) -> dict:
    """One pass: expire stale email, send each pending notice, then the digests that are due. Returns counts."""
    now = now or dt.datetime.now(dt.UTC)
    counts = {"expired": expire(conn), "each": 0, "digests": 0}
    each, digests = pending_each(conn), due_digests(conn, now)
    conn.commit()
    if not each and not digests:
        return counts
    connection = smtp.connect(server)
    try:
        for n in each:
            _deliver(conn, connection, one_message(n, links, now, server), [n.id])
            counts["each"] += 1
        for user_id, notices in digests.items():
            _record_digest(conn, user_id, now, notices[0].time_zone)
            _deliver(conn, connection, digest_message(notices, links, now, server), [n.id for n in notices])
            counts["digests"] += 1
    finally:
        connection.quit()
    return counts

"""Notification email through a real SMTP server on loopback (aiosmtpd in this process, with a login): a due
task gives one notification and one email, in the user's zone (Auckland and Los Angeles, on different days at
the same instant); a second pass sends nothing; "off" and "in app" send nothing; the digest groups a day's
notices into one message at the user's digest time; the unsubscribe link works without logging in and a forged
or altered token is refused.

The users and their rows are committed (the email pass commits each message's status) and deleted afterwards;
their tasks and meetings are in 2030, where the session's job worker (no SMTP, real time) never looks.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from dashboard import pg
from dashboard.jobs import notifications as jobs
from dashboard.notifications import email as mail
from dashboard.notifications import smtp, tokens
from tests.conftest import fetch_as, start_worker, stop_worker

# the loopback server takes a login over the plain connection (a test server; production uses TLS)
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

UTC = dt.UTC
AS_OF = dt.datetime(2030, 1, 15, 12, 0, tzinfo=UTC)  # Auckland: Wed 16 Jan 01:00 NZDT; Los Angeles: Tue 15 Jan 04:00 PST
SMTP_USER, SMTP_PASSWORD = "crm", "p@ss word"


class Inbox:
    """What the SMTP server accepted: (envelope recipients, parsed message)."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 -- aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        SMTP_USER.encode(), SMTP_PASSWORD.encode())  # fmt: skip
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():
    """A real SMTP server on a loopback port that requires a login (AUTH over the plain connection)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_required=True, auth_require_tls=False)  # fmt: skip
    controller.start()
    url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD.replace('@', '%40').replace(' ', '%20')}@127.0.0.1:{port}"
    yield inbox, smtp.parse(url, sender="CRM <crm@sales.example>")
    controller.stop()


@pytest.fixture
def world(admin_url):
    """An operator connection and a factory of users (Auckland, Los Angeles...), all deleted afterwards."""
    made: list = []
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:

        def person(zone: str, **settings) -> dict:
            uid = uuid.uuid4()
            address = f"{uid.hex[:10]}@notify-mail.example"
            conn.execute("insert into crm.users (id, email, full_name, role, time_zone) values (%s, %s, %s, 'rep', %s)",
                         (uid, address, f"Pat {zone.split('/')[-1].replace('_', ' ')}", zone))  # fmt: skip
            for kind, channel in settings.get("channels", {}).items():
                conn.execute("insert into crm.notification_preferences (user_id, kind, channel) values (%s, %s, %s)",
                             (uid, kind, channel))  # fmt: skip
            if "digest_time" in settings:
                conn.execute("""insert into crm.notification_settings (user_id, email_mode, digest_time)
                                values (%s, 'digest', %s)""", (uid, settings["digest_time"]))  # fmt: skip
            conn.commit()
            made.append(uid)
            return {"id": uid, "email": address}

        conn.person = person
        yield conn
        conn.rollback()
        conn.execute("delete from crm.tasks where assigned_to = any(%s)", (made,))
        conn.execute("delete from crm.meetings where owner_id = any(%s)", (made,))
        conn.execute("delete from crm.users where id = any(%s)", (made,))
        conn.commit()


def due(conn, user: dict, title: str, day: dt.date) -> None:
    conn.execute("insert into crm.tasks (title, due_date, assigned_to) values (%s, %s, %s)",
                 (title, dt.datetime.combine(day, dt.time(), UTC), user["id"]))  # fmt: skip
    conn.commit()


def run(conn, server, app, now: dt.datetime) -> dict:
    """One pass of the notify task at ``now``: produce, commit, send."""
    produced = jobs.produce(conn, now)
    conn.commit()
    sent = mail.send_due(conn, server, mail.Links("https://crm.example.com", app.config["SECRET_KEY"]), now)
    return {"produced": produced, "sent": sent}


def rows(conn, user: dict) -> list[tuple]:
    return conn.execute("select kind, title, in_app, email_status from crm.notifications where user_id = %s order by title",
                        (user["id"],)).fetchall()  # fmt: skip


def test_a_due_task_gives_one_notification_and_one_email_in_each_users_zone(world, smtp_server, app):
    inbox, server = smtp_server
    auckland, los_angeles = world.person("Pacific/Auckland"), world.person("America/Los_Angeles")
    for user in (auckland, los_angeles):
        due(world, user, "Call back Aroha", dt.date(2030, 1, 15))
    run(world, server, app, AS_OF)
    assert rows(world, auckland) == rows(world, los_angeles) == [("task_due", "Call back Aroha", True, "sent")]
    [nz], [la] = inbox.to(auckland["email"]), inbox.to(los_angeles["email"])
    # 12:00 UTC on the 15th: already the 16th in Auckland (the task is a day late), still the 15th in Los Angeles
    assert "Task “Call back Aroha” is overdue: it was due on Tue 15 Jan 2030 (1 day ago)." in nz.get_content()
    assert "Task “Call back Aroha” is due today (Tue 15 Jan 2030)." in la.get_content()
    assert nz["Date"] == "Wed, 16 Jan 2030 01:00:00 +1300" and la["Date"] == "Tue, 15 Jan 2030 04:00:00 -0800"
    assert nz["Subject"] == "Task due: Call back Aroha" and nz["From"] == "CRM <crm@sales.example>"
    assert nz["To"] == f"Pat Auckland <{auckland['email']}>"
    assert "Open it: https://crm.example.com/tasks/" in nz.get_content()
    assert nz["List-Unsubscribe"].startswith("<https://crm.example.com/unsubscribe?token=")
    # the next pass, and the one a minute later: nothing new, nothing sent again
    run(world, server, app, AS_OF)
    run(world, server, app, AS_OF + dt.timedelta(minutes=1))
    assert len(inbox.to(auckland["email"])) == len(inbox.to(los_angeles["email"])) == 1
    assert len(rows(world, auckland)) == 1


def test_off_sends_nothing_and_in_app_no_email(world, smtp_server, app):
    inbox, server = smtp_server
    off = world.person("Europe/London", channels={"task_due": "off"})
    in_app = world.person("Europe/London", channels={"task_due": "in_app"})
    only_email = world.person("Europe/London", channels={"task_due": "email"})
    for user in (off, in_app, only_email):
        due(world, user, "Renewal paperwork", dt.date(2030, 1, 15))
    run(world, server, app, AS_OF)
    assert rows(world, off) == [] and inbox.to(off["email"]) == []
    assert rows(world, in_app) == [("task_due", "Renewal paperwork", True, "none")] and inbox.to(in_app["email"]) == []
    assert rows(world, only_email) == [("task_due", "Renewal paperwork", False, "sent")]
    assert len(inbox.to(only_email["email"])) == 1


def test_the_digest_groups_a_days_notices_at_the_users_time(world, smtp_server, app):
    inbox, server = smtp_server
    user = world.person("America/Los_Angeles", digest_time="08:00")
    due(world, user, "Call Mele", dt.date(2030, 1, 15))
    due(world, user, "Draft the proposal", dt.date(2030, 1, 14))
    run(world, server, app, AS_OF)  # 04:00 in Los Angeles: before the digest time
    assert inbox.to(user["email"]) == [] and {r[3] for r in rows(world, user)} == {"digest"}
    run(world, server, app, dt.datetime(2030, 1, 15, 16, 5, tzinfo=UTC))  # 08:05 PST
    [digest] = inbox.to(user["email"])
    assert digest["Subject"] == "Your daily digest for Tue 15 Jan 2030: 2 notifications"
    body = digest.get_content()
    assert "Task “Call Mele” is due today (Tue 15 Jan 2030)." in body
    assert "Task “Draft the proposal” is overdue: it was due on Mon 14 Jan 2030 (1 day ago)." in body
    assert {r[3] for r in rows(world, user)} == {"sent"}
    run(world, server, app, dt.datetime(2030, 1, 15, 16, 6, tzinfo=UTC))
    assert len(inbox.to(user["email"])) == 1
    assert world.execute("select digest_sent_on from crm.notification_settings where user_id = %s",
                         (user["id"],)).fetchone()[0] == dt.date(2030, 1, 15)  # fmt: skip


def test_a_meeting_in_fifteen_minutes_is_mailed_once_at_local_time(world, smtp_server, app):
    inbox, server = smtp_server
    both = {"meeting_soon": "both"}
    auckland, los_angeles = world.person("Pacific/Auckland", channels=both), world.person("America/Los_Angeles", channels=both)
    for user in (auckland, los_angeles):
        world.execute("insert into crm.meetings (title, starts_at, owner_id) values ('Pipeline review', %s, %s)",
                      (AS_OF + dt.timedelta(minutes=10), user["id"]))  # fmt: skip
    world.commit()
    for minute in range(3):
        run(world, server, app, AS_OF + dt.timedelta(minutes=minute))
    [nz], [la] = inbox.to(auckland["email"]), inbox.to(los_angeles["email"])
    assert "Meeting “Pipeline review” starts at 01:10 NZDT (Wed 16 Jan 2030)." in nz.get_content()
    assert "Meeting “Pipeline review” starts at 04:10 PST (Tue 15 Jan 2030)." in la.get_content()


def test_unsubscribe_works_without_login_and_refuses_a_forged_token(world, smtp_server, app, client):
    inbox, server = smtp_server
    user = world.person("Pacific/Auckland")
    due(world, user, "Follow up Tui", dt.date(2030, 1, 15))
    run(world, server, app, AS_OF)
    [message] = inbox.to(user["email"])
    link = message["List-Unsubscribe"].strip("<>")
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert f"Stop emails like this (a task of mine is due today or overdue): {link}" in message.get_content()

    def channel():
        found = fetch_as(app, user["id"], "select channel from crm.notification_preferences where kind = 'task_due'")
        return found[0][0] if found else None

    forged = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature altered
        tokens.make("another-secret-key-" + "y" * 32, user["id"], "task_due"),  # signed with another key
        tokens.make(app.config["SECRET_KEY"], user["id"], "everything"),  # a kind that does not exist
        tokens.make(app.config["SECRET_KEY"], uuid.uuid4(), "task_due").replace(".", "!"),
        "", "not-a-token", "x" * 600,
    ]
    for bad in forged:
        refused = client.get("/unsubscribe", query_string={"token": bad})
        assert refused.status_code == 400 and "This link does not work" in refused.get_data(as_text=True)
    assert channel() is None  # nothing changed: still the default (both)
    answer = client.get(urlsplit(link).path + "?" + urlsplit(link).query)  # no login
    assert answer.status_code == 200
    assert "You will get no more email for “A task of mine is due today or overdue”." in answer.get_data(as_text=True)
    assert "still shown in the app" in answer.get_data(as_text=True)
    assert channel() == "in_app"


def test_smtp_urls(monkeypatch):
    server = smtp.parse("smtps://me%40corp.example:s%3Acret@mail.example.com?starttls=false", sender="x@y.z")
    assert (server.host, server.port, server.tls, server.starttls, server.user, server.password) == (
        "mail.example.com", 465, True, False, "me@corp.example", "s:cret")
    plain = smtp.parse("smtp://relay.example.com:2525?starttls=true", sender="x@y.z")
    assert (plain.port, plain.tls, plain.starttls, plain.user) == (2525, False, True, None)
    assert "cret" not in repr(server)
    for bad in ("http://mail.example.com", "smtp://", "smtp://host:99999"):
        with pytest.raises(ValueError) as caught:
            smtp.parse(bad, sender="x@y.z")
        assert "cret" not in str(caught.value)
    monkeypatch.delenv("CRM_SMTP_URL", raising=False)
    assert jobs.email_problem() == "CRM_SMTP_URL is not set: notifications are shown in the app only, no email is sent"


def test_without_smtp_the_worker_says_so_once_and_sends_nothing(world, admin_url, tmp_path, app, monkeypatch):
    monkeypatch.delenv("CRM_SMTP_URL", raising=False)
    user = world.person("Pacific/Auckland")
    due(world, user, "Quiet task", dt.date(2030, 1, 15))
    jobs.produce(world, AS_OF)
    world.commit()
    assert jobs.send(world, AS_OF) == {}
    assert rows(world, user) == [("task_due", "Quiet task", True, "pending")]  # in the app; the email waits
    log = tmp_path / "worker.log"
    process = start_worker(admin_url, "--queues", "notify-quiet", log_path=log)
    stop_worker(process)
    assert log.read_text().count("email: CRM_SMTP_URL is not set: notifications are shown in the app only") == 1


@pytest.mark.parametrize("scheme", ["smtp+starttls", "smtps"])
def test_tls_verifies_the_servers_certificate(tmp_path, scheme):
    """STARTTLS and implicit TLS against a real server whose certificate a private CA signed (trustme): trusted
    through CRM_SMTP_CA_FILE the message goes; without it the certificate is refused, nothing is sent."""
    import trustme

    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    inbox, port = Inbox(), free_port()
    options = ({"tls_context": server_context, "require_starttls": True} if scheme == "smtp+starttls"
               else {"ssl_context": server_context})  # fmt: skip
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        url = f"smtp://127.0.0.1:{port}?starttls=true" if scheme == "smtp+starttls" else f"smtps://127.0.0.1:{port}"
        message = email.message.EmailMessage()
        message["From"], message["To"], message["Subject"] = "crm@sales.example", "pat@tls.example", "TLS"
        message.set_content("Over TLS.")
        untrusted = smtp.parse(url, sender="crm@sales.example")
        with pytest.raises(ssl.SSLCertVerificationError):
            smtp.connect(untrusted)
        trusted = smtp.Server(**{**untrusted.__dict__, "ca_file": str(bundle)})
        connection = smtp.connect(trusted)
        smtp.send(connection, message)
        connection.quit()
        assert [m["Subject"] for m in inbox.to("pat@tls.example")] == ["TLS"]
    finally:
        controller.stop()

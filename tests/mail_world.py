"""What the mailbox-sync tests share (import ``dovecot_fixture`` and ``world_fixture`` to use the fixtures
``dovecot`` and ``world``): a real IMAP server (dovecot, tests/dovecot.py) and a committed world of
their own -- a team (manager, reps A and B), a company with contacts and deals -- deleted at the end (the
sync writes through its own connections, so nothing of it can live in a test's rollback)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import psycopg
import pytest

from dashboard import pg
from dashboard.credentials import encrypt_secret
from dashboard.mail.accounts import PURPOSE
from tests.conftest import TEST_PASSWORD, TEST_SECRET_KEY, _hash_once
from tests.dovecot import Dovecot

MAILBOX_PASSWORD = "imap-secret-7"
MAILBOXES = 40  # logins made up front, each handed to one test (tests/dovecot.py: add_user)
_next_box = iter(range(MAILBOXES))


@pytest.fixture(scope="session", name="dovecot")
def dovecot_fixture():
    """The server, in its own temporary directory (not pytest's: run as root, dovecot's own users must reach it)."""
    root = Path(tempfile.mkdtemp(prefix="crm-test-dovecot-"))
    server = Dovecot(root)
    root.mkdir(exist_ok=True)
    for n in range(MAILBOXES):
        server.add_user(f"box{n}@mail.test", MAILBOX_PASSWORD)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(name="world")
def world_fixture(admin_url, monkeypatch):
    """Reps A and B of a team managed by M; company Acme (domain ``acme-<tag>.example``) owned by A with
    contacts Ann (one open deal, D1), Carl (two open deals, D2 and D3: the mail is left unlinked) and Dora
    (owned by B: not A's to see). Everything is deleted afterwards."""
    monkeypatch.setenv("CRM_SECRET_KEY", TEST_SECRET_KEY)  # the sync run in this process decrypts with it
    tag = uuid.uuid4().hex[:8]
    domain = f"acme-{tag}.example"
    ids = {"tag": tag, "domain": domain}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        team = conn.execute("insert into crm.teams (name) values (%s) returning id", (f"Mail {tag}",)).fetchone()[0]
        for key, role in [("manager", "manager"), ("a", "rep"), ("b", "rep")]:
            ids[key] = conn.execute(
                """insert into crm.users (email, full_name, role, team_id, password_hash) values (%s, %s, %s, %s, %s)
                   returning id""",
                (f"{key}-{tag}@crm.example", f"{key.upper()} {tag}", role, team, _hash_once(TEST_PASSWORD))).fetchone()[0]  # fmt: skip
        conn.execute("update crm.teams set manager_id = %s where id = %s", (ids["manager"], team))
        conn.execute("update crm.users set manager_id = %s where team_id = %s and role = 'rep'", (ids["manager"], team))
        ids["team"] = team
        ids["acme"] = conn.execute("insert into crm.companies (name, domain, owner_id) values (%s, %s, %s) returning id",
                                   (f"Acme {tag}", domain, ids["a"])).fetchone()[0]  # fmt: skip
        for key, owner in [("ann", "a"), ("carl", "a"), ("dora", "b")]:
            ids[key] = conn.execute(
                """insert into crm.contacts (first_name, last_name, email, company_id, owner_id)
                   values (%s, 'Mail', %s, %s, %s) returning id""",
                (key.title(), f"{key}@{domain}", ids["acme"], ids[owner])).fetchone()[0]  # fmt: skip
        stage = conn.execute("select id from crm.deal_stages where name = 'Lead'").fetchone()[0]
        for key, contact in [("d1", "ann"), ("d2", "carl"), ("d3", None)]:
            ids[key] = conn.execute(
                """insert into crm.deals (name, stage_id, owner_id, company_id, primary_contact_id)
                   values (%s, %s, %s, %s, %s) returning id""",
                (f"{key} {tag}", stage, ids["a"], ids["acme"], ids[contact] if contact else None)).fetchone()[0]  # fmt: skip
        conn.execute("insert into crm.deal_stakeholders (deal_id, contact_id) values (%s, %s)", (ids["d3"], ids["carl"]))
    yield ids
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        people = [ids["manager"], ids["a"], ids["b"]]
        conn.execute("delete from crm.mail_accounts where user_id = any(%s)", (people,))
        conn.execute("delete from crm.activities where user_id = any(%s)", (people,))
        conn.execute("delete from crm.deals where owner_id = any(%s)", (people,))
        conn.execute("delete from crm.contacts where owner_id = any(%s)", (people,))
        conn.execute("delete from crm.companies where owner_id = any(%s)", (people,))
        conn.execute("delete from crm.users where id = any(%s)", (people,))
        conn.execute("delete from crm.teams where id = %s", (team,))


def message(sender: str, to: list[str], subject: str, body: str = "", *, html: str | None = None,
            message_id: str | None = None, date=None, cc: list[str] = ()) -> bytes:  # fmt: skip
    """A well-formed message's bytes (a text body, or an HTML-only one)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, ", ".join(to), subject
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@mail.test>"
    if date is not None:
        msg["Date"] = format_datetime(date)
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
    return bytes(msg)


def mailbox_for(dovecot: Dovecot) -> str:
    """An unused, empty mailbox of the server (its login; the password is MAILBOX_PASSWORD)."""
    return f"box{next(_next_box)}@mail.test"


def connect_account(admin_url, user_id, url: str, password: str = MAILBOX_PASSWORD) -> str:
    """A mailbox connection written as the operator would (the page and the CLI are tested on their own)."""
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        return str(conn.execute(
            """insert into crm.mail_accounts (user_id, imap_url, password_encrypted) values (%s, %s, %s)
               returning id""", (user_id, url, encrypt_secret(password, purpose=PURPOSE, secret=TEST_SECRET_KEY)),
        ).fetchone()[0])  # fmt: skip


def operator_connect(admin_url):
    """The worker's kind of connection (the operator's role), for running a sync in the test process."""
    return lambda: psycopg.connect(pg.libpq_url(admin_url), options="-c timezone=UTC")

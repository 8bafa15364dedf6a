"""Mailbox sync against a real IMAP server (Debian's dovecot on loopback, tests/dovecot.py), mailboxes filled
by IMAP APPEND: mail to and from contacts becomes linked email activities of the mailbox's user, a second sync
creates nothing, bad messages are skipped with their reason, a wrong password or a dead server is a status
with backoff, and nobody but the user, their manager and admins sees the mail."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from dashboard import pg
from dashboard.jobs import mail as mail_jobs
from dashboard.jobs import queue
from dashboard.mail import sync
from tests.conftest import TEST_SECRET_KEY, fetch_as
from tests.dovecot import free_port
from tests.mail_world import (  # noqa: F401 -- the fixtures dovecot and world
    MAILBOX_PASSWORD,
    connect_account,
    dovecot_fixture,
    mailbox_for,
    message,
    operator_connect,
    world_fixture,
)

WHEN = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)


def fill(dovecot, login: str, ids: dict) -> None:
    """INBOX: Ann's question (her one open deal), Carl's HTML-only note (two open deals: no deal), an unknown
    colleague of theirs (offered as a contact, no activity), a stranger (nothing), and three bad messages.
    Sent: the rep's answer to Ann, and a note to Ann whose copy is also in INBOX (one activity)."""
    d, me = ids["domain"], login
    copy = message(me, [f"ann@{d}"], "Agenda for Tuesday", "See you Tuesday.", message_id="<both@mail.test>")
    dovecot.append(login, "INBOX", [
        message(f"Ann Mail <ann@{d}>", [me], "Pricing question", "Great news, we love the proposal! What about volume pricing?",
                date=WHEN),
        message(f"carl@{d}", [me], "Meeting notes", html="<p>Thanks for the <b>demo</b>.</p><p>Next steps attached.</p>"),
        message(f"Erin Newcomer <erin@{d}>", [me], "Hello", "Introducing myself."),
        message("someone@gmail.com", [me], "Unrelated", "Nothing to do with work."),
        b"this is not a mail at all\r\n\r\nno headers\r\n",
        (b"From: ann@" + d.encode() + b"\r\nTo: " + me.encode() + b"\r\nSubject: charset\r\nMessage-ID: <cs@mail.test>\r\n"
         b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nhello\r\n"),
        (b"From: ann@" + d.encode() + b"\r\nTo: " + me.encode() + b"\r\nSubject: huge\r\nMessage-ID: <huge@mail.test>\r\n"
         b"\r\n" + b"x" * 10_000_000 + b"\r\n"),
        copy,
    ])  # fmt: skip
    answer = "Volume pricing starts at 100 seats.\n\nOn Mon, 30 Nov 2026 at 09:30, Ann Mail wrote:\n> What about volume pricing?"
    dovecot.append(login, "Sent", [message(me, [f"Ann Mail <ann@{d}>"], "Re: Pricing question", answer), copy])


def activities_of(admin_url, user_id) -> dict[str, dict]:
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        rows = conn.execute(
            """select a.subject, a.details, a.type, a.activity_source, a.contact_id, a.company_id, a.deal_id, a.date,
                      a.sentiment_score, m.direction, ci.direction as interaction_direction
                 from crm.activities a
                 join crm.mail_messages m on m.activity_id = a.id
                 left join crm.contact_interactions ci on ci.activity_id = a.id
                where a.user_id = %s""", (user_id,)).fetchall()  # fmt: skip
    columns = ("subject", "details", "type", "source", "contact", "company", "deal", "date", "sentiment", "direction",
               "interaction")  # fmt: skip
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


def account_row(admin_url, account_id):
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        return conn.execute(
            """select status, status_message, failures, next_attempt_at - now(), folder_state, messages_logged,
                      messages_skipped from crm.mail_accounts where id = %s""", (account_id,)).fetchone()  # fmt: skip


def test_mail_to_and_from_contacts_becomes_linked_activities(admin_url, dovecot, world):
    login = mailbox_for(dovecot)
    fill(dovecot, login, world)
    account = connect_account(admin_url, world["a"], dovecot.url(login))

    result = sync.sync_account(operator_connect(admin_url), account)

    # logged: Ann's question (in), Carl's note (in), the answer to Ann (out), the agenda (out, in both folders);
    # skipped: the three bad messages; Erin and the stranger are no contacts
    assert (result["status"], result["logged"], result["skipped"], result["no_contact"]) == ("ok", 4, 3, 2)
    logged = activities_of(admin_url, world["a"])
    assert set(logged) == {"Pricing question", "Meeting notes", "Re: Pricing question", "Agenda for Tuesday"}
    ann = logged["Pricing question"]
    assert (ann["type"], ann["source"], ann["direction"], ann["interaction"]) == ("email", "email", "inbound", "inbound")
    assert (ann["contact"], ann["company"], ann["deal"]) == (world["ann"], world["acme"], world["d1"])  # her one open deal
    assert ann["details"] == "Great news, we love the proposal! What about volume pricing?"
    assert ann["date"] == WHEN
    assert ann["sentiment"] > 0  # rescored as a typed activity is ("great", "love")
    carl = logged["Meeting notes"]
    assert (carl["contact"], carl["company"], carl["deal"]) == (world["carl"], world["acme"], None)  # two open deals
    assert carl["details"] == "Thanks for the demo.\n\nNext steps attached."  # HTML-only mail as text
    answer = logged["Re: Pricing question"]
    assert answer["details"] == "Volume pricing starts at 100 seats."  # the quoted history left out
    assert (answer["direction"], answer["interaction"], answer["contact"], answer["deal"]) == (
        "outbound", "outbound", world["ann"], world["d1"])  # fmt: skip
    assert logged["Agenda for Tuesday"]["direction"] == "outbound"
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        # the contact's interactions follow (trigger) and are counted by the rescoring
        assert conn.execute("select interaction_count from crm.contacts where id = %s", (world["ann"],)).fetchone() == (3,)
        skipped = sorted(r[0] for r in conn.execute(
            "select skip_reason from crm.mail_messages where user_id = %s and skip_reason is not null", (world["a"],)))  # fmt: skip
        assert skipped == ["body too large (10.0 MB; at most 1 MB)", "invalid charset 'x-no-such-charset'",
                           "malformed message: no sender address"]  # fmt: skip
        # Erin is offered as a contact at Acme, never created
        assert conn.execute("select email, display_name, company_id, status from crm.mail_contact_suggestions where user_id = %s",
                            (world["a"],)).fetchall() == [(f"erin@{world['domain']}", "Erin Newcomer", world["acme"], "open")]  # fmt: skip
        assert conn.execute("select count(*) from crm.contacts where email = %s", (f"erin@{world['domain']}",)).fetchone() == (0,)
    status, _, failures, wait, folders, logged_count, skipped_count = account_row(admin_url, account)
    assert (status, failures, logged_count, skipped_count) == ("ok", 0, 4, 3)
    assert set(folders) == {"INBOX", "Sent"} and folders["INBOX"]["last_uid"] == 8 and folders["Sent"]["last_uid"] == 2
    assert dt.timedelta(minutes=4) < wait <= sync.SYNC_EVERY


def test_a_second_sync_creates_nothing_and_the_next_only_what_is_new(admin_url, dovecot, world):
    login = mailbox_for(dovecot)
    fill(dovecot, login, world)
    account = connect_account(admin_url, world["a"], dovecot.url(login))
    connect = operator_connect(admin_url)
    assert sync.sync_account(connect, account)["logged"] == 4

    again = sync.sync_account(connect, account)
    assert (again["logged"], again["skipped"], again["already"]) == (0, 0, 0)  # nothing above the last UIDs
    # a folder whose UIDVALIDITY changed is read again: its messages are recognised by Message-ID
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("update crm.mail_accounts set folder_state = '{}' where id = %s", (account,))
    reread = sync.sync_account(connect, account)
    # 6 recorded in INBOX (4 logged or skipped, the copy) + 2 in Sent; Erin and the stranger were never recorded
    assert (reread["logged"], reread["skipped"], reread["already"], reread["no_contact"]) == (0, 0, 8, 2)
    dovecot.append(login, "INBOX", [message(f"ann@{world['domain']}", [login], "One more", "Any news?")])
    assert sync.sync_account(connect, account)["logged"] == 1
    assert len(activities_of(admin_url, world["a"])) == 5


def test_never_log_addresses_and_domains(admin_url, dovecot, world):
    login = mailbox_for(dovecot)
    d = world["domain"]
    dovecot.append(login, "INBOX", [
        message(f"ann@{d}", [login], "To Ann", "x"),
        message(f"carl@{d}", [login], "From Carl, a never-log address", "x"),
        message(f"ann@{d}", [login], "Ann with a lawyer in copy", "x", cc=["counsel@sub.lawfirm.example"]),
    ])  # fmt: skip
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("insert into crm.mail_never_log (user_id, entry) values (%s, %s), (%s, 'lawfirm.example')",
                     (world["a"], f"carl@{d}", world["a"]))  # fmt: skip
    account = connect_account(admin_url, world["a"], dovecot.url(login))
    result = sync.sync_account(operator_connect(admin_url), account)
    assert (result["logged"], result["never_logged"]) == (1, 2)
    assert set(activities_of(admin_url, world["a"])) == {"To Ann"}


def test_the_mail_is_seen_by_its_user_their_manager_and_admins_only(app, admin_url, users, dovecot, world):
    login = mailbox_for(dovecot)
    dovecot.append(login, "INBOX", [message(f"ann@{world['domain']}", [login], "Private to A", "x")])
    account = connect_account(admin_url, world["a"], dovecot.url(login))
    assert sync.sync_account(operator_connect(admin_url), account)["logged"] == 1
    query = """select count(*) from crm.activities a join crm.mail_messages m on m.activity_id = a.id
                where a.subject = 'Private to A' and a.user_id = :a"""
    seen = {who: fetch_as(app, user_id, query, {"a": world["a"]})[0][0]
            for who, user_id in [("a", world["a"]), ("manager", world["manager"]), ("admin", users["admin"]["id"]),
                                 ("b", world["b"]), ("other team's rep", users["rep"]["id"])]}  # fmt: skip
    assert seen == {"a": 1, "manager": 1, "admin": 1, "b": 0, "other team's rep": 0}


def test_crm_app_cannot_read_the_password(app, admin_url, users, dovecot, world):
    login = mailbox_for(dovecot)
    account = connect_account(admin_url, world["a"], dovecot.url(login))
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        stored = bytes(conn.execute("select password_encrypted from crm.mail_accounts where id = %s", (account,)).fetchone()[0])
        # what is stored is ciphertext: the password is not in it, and it opens only with the secret key
        assert MAILBOX_PASSWORD.encode() not in stored
        from dashboard.credentials import decrypt_secret

        assert decrypt_secret(stored, purpose="mail", secret=TEST_SECRET_KEY) == MAILBOX_PASSWORD
        conn.execute("set role crm_app")
        for who in (world["a"], users["admin"]["id"]):
            conn.execute("select set_config('app.user_id', %s, false)", (str(who),))
            for statement in ("select password_encrypted from crm.mail_accounts",
                              "select * from crm.mail_accounts", "select to_jsonb(a) from crm.mail_accounts a"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                    conn.execute(statement)
        conn.rollback()
    # the columns crm_app may read hold no secret; neither does the audit log
    row = fetch_as(app, world["a"], "select imap_url, status from crm.mail_accounts where id = :id", {"id": account})
    assert row == [(dovecot.url(login), "pending")]
    audit = fetch_as(app, users["admin"]["id"], "select count(*) from crm.audit_log where table_name = 'mail_accounts'")
    assert audit == [(0,)]


def test_a_wrong_password_is_a_status_retried_with_growing_waits(admin_url, dovecot, world):
    login = mailbox_for(dovecot)
    account = connect_account(admin_url, world["a"], dovecot.url(login), password="not-the-password")
    connect = operator_connect(admin_url)
    first = sync.sync_account(connect, account)
    status, text, failures, wait, *_ = account_row(admin_url, account)
    assert (first["status"], status, failures) == ("auth_failed", "auth_failed", 1)
    assert "refused the user name or password" in text
    assert dt.timedelta(minutes=4) < wait <= dt.timedelta(minutes=5)
    # the periodic tick does not try it again before its time: no second login attempt
    queue.use_database(pg.libpq_url(admin_url))
    assert str(account) not in mail_jobs.enqueue_due()["enqueued"]
    second = sync.sync_account(connect, account)  # someone pressed "Sync now"
    _, _, failures, wait, *_ = account_row(admin_url, account)
    assert (second["status"], failures) == ("auth_failed", 2)
    assert dt.timedelta(minutes=9) < wait <= dt.timedelta(minutes=10)  # the wait doubles
    assert [sync.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 8, 20)] == [5, 10, 20, 40, 360, 360]
    dovecot.wait_for_log(lambda: dovecot.failed_logins(login) == 2)  # exactly the two attempts reached the server


def test_an_unreachable_server_is_a_status_too(admin_url, world):
    account = connect_account(admin_url, world["a"], f"imap://nobody@127.0.0.1:{free_port()}/INBOX")
    result = sync.sync_account(operator_connect(admin_url), account)
    status, text, failures, *_ = account_row(admin_url, account)
    assert (result["status"], status, failures) == ("unreachable", "unreachable", 1)
    assert "connection refused" in text


def test_a_password_sealed_under_another_secret_stops_retrying(admin_url, dovecot, world, monkeypatch):
    login = mailbox_for(dovecot)
    account = connect_account(admin_url, world["a"], dovecot.url(login))
    monkeypatch.setenv("CRM_SECRET_KEY", "another-secret-" + "y" * 40)  # the operator changed the secret key
    result = sync.sync_account(operator_connect(admin_url), account)
    status, text, _, wait, *_ = account_row(admin_url, account)
    assert (result["status"], status, wait) == ("credentials_unreadable", "credentials_unreadable", None)
    assert "another secret key" in text and "enter the password again" in text

"""/account/mail: connecting a mailbox (the password stored encrypted, never shown again), its status, the
disconnect confirmation, the never-log list and the addresses offered as new contacts -- each user's own.
The sync itself is tested against a real IMAP server in test_mail_sync.py."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner

from dashboard import pg
from dashboard.cli import cli
from dashboard.credentials import decrypt_secret
from tests.conftest import SUPERUSER_URL, TEST_SECRET_KEY, Auth, fetch_as
from tests.mail_world import MAILBOX_PASSWORD, dovecot_fixture, mailbox_for, message, world_fixture  # noqa: F401

URL = "imaps://rep@test.example@imap.mail.example:993/INBOX"


def post(client, auth, path: str, data: dict):
    return client.post(path, data={"csrf_token": auth.csrf_token("/account/mail"), **data})


def sealed_password(user_id) -> bytes:
    with psycopg.connect(SUPERUSER_URL[0]) as conn:
        row = conn.execute("select password_encrypted from crm.mail_accounts where user_id = %s", (user_id,)).fetchone()
    return bytes(row[0]) if row else b""


def test_connecting_stores_the_password_encrypted_and_queues_a_sync(client, auth, users):
    auth.login(users["rep"]["email"])
    page = client.get("/account/mail").get_data(as_text=True)
    assert 'id="mail-connect-form"' in page and "mail-status" not in page  # nothing connected yet
    response = post(client, auth, "/account/mail", {"imap_url": URL, "password": "s3cret-imap"})
    assert response.status_code == 302
    page = client.get("/account/mail").get_data(as_text=True)
    assert "Waiting for the first sync" in page and "imaps://rep@test.example@imap.mail.example:993/INBOX" in page
    assert "s3cret-imap" not in page  # never shown again
    # in the database: ciphertext only, which opens with the secret key
    stored = fetch_as(client.application, users["rep"]["id"], "select id, status from crm.mail_accounts")
    assert [row[1] for row in stored] == ["pending"]
    # the first sync is queued for the worker (committed with the request: here, in the test's rollback)
    jobs = fetch_as(client.application, users["rep"]["id"],
                    "select count(*) from crm_jobs.procrastinate_jobs where task_name = 'mail_sync'")  # fmt: skip
    assert jobs == [(1,)]
    assert "A sync is waiting for the job worker" in page


@pytest.mark.parametrize(("url", "message"), [
    ("https://mail.example/INBOX", "Enter an IMAP URL starting with imaps://"),
    ("imap://rep@mail.example/INBOX", "use imaps://"),
    ("imaps://rep:hunter2@mail.example/INBOX", "Leave the password out of the URL"),
    ("imaps://mail.example/INBOX", "Put the user name in the URL"),
    ("imaps://rep@mail.example:99999/INBOX", "port in the IMAP URL"),
])  # fmt: skip
def test_urls_the_sync_cannot_use_are_refused(client, auth, users, url, message):
    auth.login(users["rep"]["email"])
    response = post(client, auth, "/account/mail", {"imap_url": url, "password": "pw"})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert fetch_as(client.application, users["rep"]["id"], "select count(*) from crm.mail_accounts") == [(0,)]


def test_disconnect_asks_first_then_forgets_the_password(client, auth, users):
    auth.login(users["rep"]["email"])
    post(client, auth, "/account/mail", {"imap_url": URL, "password": "s3cret-imap"})
    page = client.get("/account/mail/disconnect").get_data(as_text=True)
    assert "Disconnect the mailbox?" in page and "already logged stay" in page
    assert fetch_as(client.application, users["rep"]["id"], "select count(*) from crm.mail_accounts") == [(1,)]
    response = post(client, auth, "/account/mail/disconnect", {})
    assert response.status_code == 302
    assert fetch_as(client.application, users["rep"]["id"], "select count(*) from crm.mail_accounts") == [(0,)]
    assert client.get("/account/mail/disconnect").status_code == 404  # nothing left to disconnect


def test_the_never_log_list(client, auth, users):
    auth.login(users["rep"]["email"])
    assert post(client, auth, "/account/mail/never-log", {"entry": " @Lawfirm.Example "}).status_code == 302
    assert post(client, auth, "/account/mail/never-log", {"entry": "Counsel@Other.Example"}).status_code == 302
    refused = post(client, auth, "/account/mail/never-log", {"entry": "not an address"})
    assert refused.status_code == 400 and "Enter an address" in refused.get_data(as_text=True)
    rows = fetch_as(client.application, users["rep"]["id"], "select id, entry from crm.mail_never_log order by entry")
    assert [entry for _, entry in rows] == ["counsel@other.example", "lawfirm.example"]
    assert post(client, auth, f"/account/mail/never-log/{rows[0][0]}/delete", {}).status_code == 302
    page = client.get("/account/mail").get_data(as_text=True)
    assert f'id="never-{rows[0][0]}"' not in page and f'id="never-{rows[1][0]}"' in page


def test_a_suggestion_becomes_a_contact_only_when_accepted(client, auth, users):
    rep = users["rep"]["id"]
    [(company,)] = fetch_as(client.application, rep, "insert into crm.companies (name, domain, owner_id) values "
                            "('Suggest Co', 'suggest-co.example', :o) returning id", {"o": rep})  # fmt: skip
    [(first,)] = fetch_as(client.application, rep, """insert into crm.mail_contact_suggestions
        (user_id, email, display_name, company_id, messages) values (:o, 'erin@suggest-co.example', 'Erin Newcomer', :c, 3)
        returning id""", {"o": rep, "c": company})  # fmt: skip
    [(second,)] = fetch_as(client.application, rep, """insert into crm.mail_contact_suggestions
        (user_id, email, company_id) values (:o, 'noreply@suggest-co.example', :c) returning id""", {"o": rep, "c": company})  # fmt: skip
    auth.login(users["rep"]["email"])
    page = client.get("/account/mail").get_data(as_text=True)
    assert "erin@suggest-co.example" in page and "Erin Newcomer" in page
    assert post(client, auth, f"/account/mail/suggestions/{first}/accept", {}).status_code == 302
    assert post(client, auth, f"/account/mail/suggestions/{second}/dismiss", {}).status_code == 302
    contacts = fetch_as(client.application, rep, "select first_name, last_name, company_id, owner_id from crm.contacts "
                        "where email in ('erin@suggest-co.example', 'noreply@suggest-co.example')")  # fmt: skip
    assert contacts == [("Erin", "Newcomer", company, rep)]
    page = client.get("/account/mail").get_data(as_text=True)  # neither is offered any more
    assert f'id="suggestion-{first}"' not in page and f'id="suggestion-{second}"' not in page


def test_the_page_connects_and_the_worker_syncs(app, admin_url, users, job_worker, dovecot, world):
    """Through the web page, committed, and the session's real `crm worker` (which knows the secret key)."""
    login = mailbox_for(dovecot)
    dovecot.append(login, "INBOX", [message(f"ann@{world['domain']}", [login], "Via the worker", "Hello from Ann")])
    client = app.test_client()  # no test rollback: the worker must see the mailbox
    Auth(client).login(f"a-{world['tag']}@crm.example")
    token = Auth(client).csrf_token("/account/mail")
    response = client.post("/account/mail", data={"csrf_token": token, "imap_url": dovecot.url(login), "password": MAILBOX_PASSWORD})
    assert response.status_code == 302
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        from tests.test_jobs import wait_for

        wait_for(conn, "select status = 'ok' from crm.mail_accounts where user_id = %s", (world["a"],), timeout=120, what="the sync")
        assert conn.execute("select subject, activity_source from crm.activities where user_id = %s",
                            (world["a"],)).fetchall() == [("Via the worker", "email")]  # fmt: skip
    assert "Synced" in client.get("/account/mail").get_data(as_text=True)


def test_the_commands_connect_and_sync(admin_url, dovecot, world, monkeypatch):
    login = mailbox_for(dovecot)
    dovecot.append(login, "INBOX", [message(f"ann@{world['domain']}", [login], "Via the CLI", "Hello")])
    monkeypatch.setenv("DATABASE_URL", pg.libpq_url(admin_url))
    monkeypatch.delenv("MIGRATION_DATABASE_URL", raising=False)
    runner = CliRunner()
    email = f"a-{world['tag']}@crm.example"
    connected = runner.invoke(cli, ["mail", "connect", "--email", email, "--imap-url", dovecot.url(login),
                                    "--password-stdin"], input=MAILBOX_PASSWORD + "\n")  # fmt: skip
    assert connected.exit_code == 0, connected.output
    assert MAILBOX_PASSWORD not in connected.output
    assert decrypt_secret(sealed_password(world["a"]), purpose="mail", secret=TEST_SECRET_KEY) == MAILBOX_PASSWORD
    synced = runner.invoke(cli, ["mail", "sync", "--email", email])
    assert synced.exit_code == 0, synced.output
    assert "1 logged, 0 skipped" in synced.output
    refused = runner.invoke(cli, ["mail", "connect", "--email", email, "--imap-url", "imap://x@mail.example/INBOX",
                                  "--password-stdin"], input="pw\n")  # fmt: skip
    assert refused.exit_code == 1 and "use imaps://" in refused.output

"""Mailbox sync of 10,000 messages against a real IMAP server (targets: first sync <= 60 s, incremental <= 5 s).

Starts Debian's dovecot on loopback (tests/dovecot.py) and a throwaway embedded PostgreSQL (or ``--pgdata``),
makes one rep with 40 companies, 400 contacts and 120 open deals, and fills the rep's mailbox by IMAP APPEND:
70% INBOX, 30% Sent; 80% of the messages are with a contact, 10% with an unknown address at a company's
domain (offered as contacts), 10% with strangers; 20-200 words of their own, and half of them replies quoting
40-400 words of the message they answer (up to 3 KB). Then times
``dashboard.mail.sync.sync_account`` (what the worker's ``mail_sync`` task runs: IMAP fetch, parsing, the
activities and their rescoring, as the rep under row-level security): the first sync, a second with
nothing new, and one after ``--new`` new messages. Prints the machine-speed line first.

    python bench/mail_sync.py [--messages 10000] [--new 5] [--pgdata D]
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_speed  # noqa: E402
from dashboard import migrate, pg  # noqa: E402
from dashboard.credentials import encrypt_secret  # noqa: E402
from dashboard.mail import sync  # noqa: E402
from dashboard.mail.accounts import PURPOSE  # noqa: E402
from tests.dovecot import Dovecot  # noqa: E402
from tests.mail_world import message  # noqa: E402

LOGIN, PASSWORD, SECRET = "bench@mail.test", "bench-imap-secret", "bench-secret-" + "k" * 40
WORDS = ("thanks for the call the proposal looks great pricing question can we meet next week budget approved "
         "concerns about timeline please send the contract renewal volume discount demo feedback").split()  # fmt: skip


def world(conn, rng: random.Random) -> tuple[str, list[str], list[str]]:
    """One rep with 40 companies (domains co<n>.bench.example), 10 contacts each, 120 open deals; the rep's
    id, the contacts' addresses and the companies' domains."""
    rep = conn.execute("""insert into crm.users (email, full_name, role)
                          values ('bench-rep@crm.example', 'Bench Rep', 'rep') returning id""").fetchone()[0]
    stage = conn.execute("select id from crm.deal_stages where name = 'Qualified'").fetchone()[0]
    contacts, domains = [], []
    for n in range(40):
        domain = f"co{n}.bench.example"
        company = conn.execute("insert into crm.companies (name, domain, owner_id) values (%s, %s, %s) returning id",
                               (f"Bench Company {n}", domain, rep)).fetchone()[0]  # fmt: skip
        domains.append(domain)
        for k in range(10):
            address = f"person{k}@{domain}"
            contact = conn.execute(
                """insert into crm.contacts (first_name, last_name, email, company_id, owner_id)
                   values (%s, %s, %s, %s, %s) returning id""",
                (f"Person{k}", f"Co{n}", address, company, rep)).fetchone()[0]  # fmt: skip
            contacts.append(address)
            if k < 3:
                conn.execute("""insert into crm.deals (name, stage_id, owner_id, company_id, primary_contact_id, value)
                                values (%s, %s, %s, %s, %s, 10000)""",
                             (f"Deal {n}-{k}", stage, rep, company, contact))  # fmt: skip
    conn.commit()
    return str(rep), contacts, domains


def messages(rng: random.Random, count: int, contacts, domains, start: int) -> tuple[list[bytes], list[bytes]]:
    inbox, sent = [], []
    for i in range(start, start + count):
        roll = rng.random()
        other = (rng.choice(contacts) if roll < 0.8 else f"new{rng.randrange(300)}@{rng.choice(domains)}" if roll < 0.9
                 else f"someone{rng.randrange(1000)}@elsewhere{rng.randrange(50)}.example")  # fmt: skip
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 200)))
        if rng.random() < 0.5:  # a reply, quoting the message it answers (left out of the activity)
            quoted = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(40, 400)))
            body += f"\n\nOn Mon, 30 Nov 2026 at 09:30, {other} wrote:\n" + "\n".join(
                "> " + quoted[k : k + 72] for k in range(0, len(quoted), 72))  # fmt: skip
        subject = " ".join(rng.choice(WORDS) for _ in range(5))
        if rng.random() < 0.7:
            inbox.append(message(other, [LOGIN], subject, body, message_id=f"<bench-{i}@mail.test>"))
        else:
            sent.append(message(LOGIN, [other], subject, body, message_id=f"<bench-{i}@mail.test>"))
    return inbox, sent


def append(dovecot: Dovecot, folder: str, raws: list[bytes], connections: int = 4) -> None:
    """APPEND over a few connections at once (filling the mailbox is not what is measured)."""
    chunks = [raws[i::connections] for i in range(connections)]
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda chunk: dovecot.append(LOGIN, folder, chunk), chunks))


def timed_sync(connect, account_id: str, label: str) -> float:
    started = time.perf_counter()
    result = sync.sync_account(connect, account_id)
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:6.2f} s  status {result['status']}, logged {result.get('logged')}, skipped "
          f"{result.get('skipped')}, not with a contact {result.get('no_contact')}, already {result.get('already')}, "
          f"suggested {result.get('suggested')}; seconds by phase {result.get('phases')}")  # fmt: skip
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=5, help="messages added before the incremental sync")
    parser.add_argument("--pgdata", type=Path, default=None, help="data directory (default: a temporary one)")
    args = parser.parse_args()
    print(machine_speed())
    os.environ["CRM_SECRET_KEY"] = SECRET
    scratch = Path(tempfile.mkdtemp(prefix="crm-bench-mail-"))
    atexit.register(shutil.rmtree, scratch, True)
    server = pg.start_embedded((args.pgdata or scratch / "pgdata").resolve())
    dovecot = Dovecot(scratch / "dovecot")
    (scratch / "dovecot").mkdir()
    dovecot.add_user(LOGIN, PASSWORD)
    dovecot.start()
    atexit.register(dovecot.stop)
    url = pg.libpq_url(server)
    with psycopg.connect(url) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        conn.execute("delete from crm.mail_accounts; delete from crm.activities where activity_source = 'email'")
        conn.execute("delete from crm.users where email = 'bench-rep@crm.example'")
        rng = random.Random(7)
        rep, contacts, domains = world(conn, rng)
        account = str(conn.execute(
            "insert into crm.mail_accounts (user_id, imap_url, password_encrypted) values (%s, %s, %s) returning id",
            (rep, dovecot.url(LOGIN), encrypt_secret(PASSWORD, purpose=PURPOSE))).fetchone()[0])  # fmt: skip
        conn.commit()
    inbox, sent = messages(rng, args.messages, contacts, domains, 0)
    started = time.perf_counter()
    append(dovecot, "INBOX", inbox)
    append(dovecot, "Sent", sent)
    filled = time.perf_counter() - started
    print(f"mailbox filled by APPEND: {len(inbox):,} in INBOX, {len(sent):,} in Sent ({filled:.1f} s)")

    def connect():
        return psycopg.connect(url, options="-c timezone=UTC")

    first = timed_sync(connect, account, f"first sync of {args.messages:,} messages")
    nothing = timed_sync(connect, account, "second sync, nothing new")
    new_inbox, new_sent = messages(rng, args.new, contacts, domains, args.messages)
    append(dovecot, "INBOX", new_inbox, 1)
    append(dovecot, "Sent", new_sent, 1)
    incremental = timed_sync(connect, account, f"incremental sync after {args.new} new messages")
    with psycopg.connect(url) as conn:
        logged = conn.execute("select count(*) from crm.activities where user_id = %s and activity_source = 'email'",
                              (rep,)).fetchone()[0]  # fmt: skip
    ok = first <= 60 and incremental <= 5
    print(f"summary: first {first:.1f} s (target 60), nothing new {nothing:.2f} s, incremental {incremental:.2f} s "
          f"(target 5); {logged:,} email activities; {'OK' if ok else 'OVER TARGET'}")  # fmt: skip
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""``crm mail connect --email E --imap-url URL [--password-stdin]`` and ``crm mail sync [--email E]``:
connect a user's mailbox (the password from a prompt or one line of stdin, stored encrypted, never echoed)
and run mailbox syncs now, in this process, printing one line per mailbox (dashboard/mail)."""

from __future__ import annotations

import sys

import click

from dashboard.cli.common import active_user_id, admin_connection, one_line_errors, upgrade_database_quietly


@click.group("mail")
def group():
    """Users' mailboxes: connect one, sync now."""



@group.command("connect")
@click.option("--email", required=True, help="The user whose mailbox it is.")
@click.option("--imap-url", required=True, help="imaps://user@host:port/INBOX (imap:// only for a loopback server).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@one_line_errors
def connect(email: str, imap_url: str, password_stdin: bool):
    """Connect (or reconnect) a user's mailbox and enqueue its first sync for the job worker."""
    from dashboard.jobs import mail as mail_jobs
    from dashboard.mail import accounts, sync

    upgrade_database_quietly()
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else click.prompt("Password", hide_input=True)
    engine = sync.engine_for(admin_connection)
    try:
        with engine.connect() as conn:
            user_id = active_user_id(conn.connection.driver_connection, email)
            sync.act_as(conn, user_id)
            try:
                account_id = accounts.save_account(conn, user_id, imap_url, password)
            except accounts.MailError as exc:
                raise click.ClickException(str(exc)) from None
            finally:
                del password
            mail_jobs.enqueue_sync(conn.connection.driver_connection, account_id)
            conn.commit()
            sync.end_session(conn)
    finally:
        engine.dispose()
    click.echo(f"connected the mailbox of {email} ({account_id}); its first sync is queued for the job worker")


@group.command("sync")
@click.option("--email", default=None, help="Only this user's mailbox (default: every connected mailbox).")
@one_line_errors
def sync_now(email: str | None):
    """Sync mailboxes now, in this process; exit 1 when one failed."""
    from dashboard.mail import sync

    upgrade_database_quietly()
    with admin_connection() as conn:
        if email:
            user_id = active_user_id(conn, email)
            accounts = conn.execute("select id from crm.mail_accounts where user_id = %s", (user_id,))
        else:
            accounts = conn.execute("select a.id from crm.mail_accounts a join crm.users u on u.id = a.user_id "
                                    "where u.is_active order by u.email")  # fmt: skip
        ids = [str(row[0]) for row in accounts.fetchall()]
    if email and not ids:
        raise click.ClickException(f"{email} has no mailbox connected")
    failed = 0
    for account_id in ids:
        result = sync.sync_account(admin_connection, account_id)
        if result["status"] == "ok":
            click.echo(f"{account_id}: {result['logged']} logged, {result['skipped']} skipped, {result['no_contact']} "
                       f"without a contact, {result['never_logged']} never logged, {result['seconds']} s")  # fmt: skip
        else:
            failed += 1
            click.echo(f"{account_id}: {result['status']}: {result.get('message', '')}")
    if failed:
        raise click.ClickException(f"{failed} of {len(ids)} mailbox(es) failed to sync")

"""A real IMAP server for the mailbox-sync tests and bench: Debian's dovecot (package dovecot-imapd), run
with a generated configuration in a temporary directory, on a random loopback port, without TLS, with a
passwd-file of users and Maildir mailboxes (INBOX and a folder ``Sent`` flagged \\Sent), filled by IMAP
APPEND.

Run as an ordinary user, every dovecot process runs as that user. Run as root (containers), dovecot refuses
root for its login and mail processes: they run as Debian's ``dovenull`` and ``dovecot`` users, which own the
mail directory.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from imap_tools import MailBoxUnencrypted

DOVECOT = shutil.which("dovecot", path="/usr/sbin:/usr/bin:/sbin") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks =
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 0
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    """``Dovecot(root)``, ``add_user`` for each login, ``start()``; ``append``, ``url(user)``; ``stop()``."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.port = 0
        self.users: dict[str, str] = {}

    def start(self, timeout: float = 20) -> Dovecot:
        if not Path(DOVECOT).exists():
            raise RuntimeError(f"dovecot not found at {DOVECOT}: install Debian's dovecot-imapd")
        for name in ("run", "state", "home"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        if not (self.root / "passwd").exists():
            (self.root / "passwd").write_text("")
        root_user = os.geteuid() == 0
        me, group = pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
        mail_uid, mail_gid = (pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid) if root_user else (
            os.geteuid(), os.getegid())  # fmt: skip
        if root_user:
            os.chmod(self.root, 0o755)
            os.chown(self.root / "home", mail_uid, mail_gid)
        self.port = free_port()
        (self.root / "dovecot.conf").write_text(CONFIG.format(
            root=self.root, port=self.port, mail_uid=mail_uid, mail_gid=mail_gid,
            internal_user="dovecot" if root_user else me, internal_group="dovecot" if root_user else group,
            login_user="dovenull" if root_user else me))  # fmt: skip
        with open(self.root / "start.log", "wb") as output:  # not a pipe: the daemon keeps its descriptors open
            started = subprocess.run([DOVECOT, "-c", str(self.root / "dovecot.conf")], stdout=output, stderr=output)
        if started.returncode:
            raise RuntimeError(f"dovecot did not start: {(self.root / 'start.log').read_text()[-2000:]}")
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot did not start: {self.log()[-2000:]}")
            time.sleep(0.1)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def add_user(self, name: str, password: str) -> None:
        """A mailbox login before ``start()`` (dovecot notices a changed passwd-file only now and then: give
        every login a test needs up front)."""
        self.users[name] = password
        (self.root / "passwd").write_text("".join(f"{n}:{{PLAIN}}{p}\n" for n, p in self.users.items()))

    def url(self, user: str, folder: str = "INBOX") -> str:
        return f"imap://{user}@127.0.0.1:{self.port}/{folder}"

    def mailbox(self, user: str) -> MailBoxUnencrypted:
        return MailBoxUnencrypted("127.0.0.1", self.port, timeout=30).login(user, self.users[user], initial_folder=None)

    def append(self, user: str, folder: str, messages: list[bytes]) -> None:
        """APPEND ``messages`` (raw RFC 5322 bytes) to ``folder`` of ``user``'s mailbox."""
        with self.mailbox(user) as box:
            for raw in messages:
                box.client.append(folder, "", None, raw)

    def failed_logins(self, user: str) -> int:
        """How many logins of ``user`` the server refused so far (from its log)."""
        return sum(1 for line in self.log().splitlines() if "auth failed" in line and f"user=<{user}>" in line)

    def wait_for_log(self, condition, timeout: float = 30) -> None:
        """Until ``condition()`` holds (dovecot logs a connection when it closes)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"dovecot's log never showed it: {self.log()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)

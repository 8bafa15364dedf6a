"""Mailbox sync: a user's IMAP mailbox (INBOX and the sent folder) read by the job worker, messages to or
from known contacts logged as ``email`` activities owned by that user, under row-level security as them.

* :mod:`.url` -- the IMAP URL a user connects with (``imaps://user@host:port/INBOX``; ``imap://`` only on
  loopback);
* :mod:`.parse` -- one raw message: Message-ID, addresses, date, subject and a plain-text body, or the
  reason it is skipped (malformed, invalid charset, too large);
* :mod:`.imap` -- the IMAP session (imap-tools): login, the sent folder, new UIDs since the last sync;
* :mod:`.store` -- writing a batch of messages as the user: contacts matched, activities created through
  the activity rules (links, interactions, rescoring), suggestions of new contacts;
* :mod:`.sync` -- one sync of one mailbox (the worker's ``mail_sync`` task): status, backoff, folders.

Credentials are decrypted only here, in the worker (dashboard/credentials.py); see docs/security.md.
"""

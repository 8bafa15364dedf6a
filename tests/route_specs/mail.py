"""Mailbox routes (/account/mail): a never-log entry and a contact suggestion are their user's alone (an admin
or the user's manager gets the 404 of a missing one)."""

from tests.route_specs import rep_row

OBJECTS = {
    # the rep's connected mailbox (its page then offers "Sync now" and "Disconnect"); made again after a disconnect
    "mail_account": rep_row(
        """insert into crm.mail_accounts (user_id, imap_url, password_encrypted)
           values (:o, 'imaps://rep@mail.example:993/INBOX', '\\x01')
           on conflict (user_id) do update set status = excluded.status returning id"""
    ),
    "mail_never_log": rep_row(
        "insert into crm.mail_never_log (user_id, entry) values (:o, 'n' || substr(md5(random()::text), 1, 10) || '.example') returning id"
    ),
    "mail_suggestion": rep_row(
        # at one of the rep's companies (made only when the rep has none: a committed one would outlive the test)
        """with existing as (select id from crm.companies where owner_id = :o order by created_at, id limit 1),
                made as (insert into crm.companies (name, owner_id) select 'Mail Co ' || gen_random_uuid(), :o
                         where not exists (select from existing) returning id)
           insert into crm.mail_contact_suggestions (user_id, email, company_id)
           select :o, 's' || replace(gen_random_uuid()::text, '-', '') || '@mail-co.example', id
             from (select id from existing union all select id from made) c returning id"""
    ),
}
OBJECT_ROUTES = {
    "mail.remove_never_log": ("mail_never_log", {"rep"}),
    "mail.accept_suggestion": ("mail_suggestion", {"rep"}),
    "mail.dismiss_suggestion": ("mail_suggestion", {"rep"}),
}
WRITE_ROUTES = {"mail.account", "mail.sync_now", "mail.disconnect", "mail.add_never_log"}

-- One owner's records by name: the related-record selects of every form
-- (dashboard/forms.py record_choices: an owner's first 500 companies,
-- contacts or deals by lower(name), id) and a rep's companies and contacts
-- lists in their default order. Without these each select sorted all of the
-- owner's records (5,000 contacts for a busy rep at the large scale: 7-10 ms
-- per select, and a meeting page has two); with them it reads the first 500
-- index entries. A contact's name is the expression of the trigram index,
-- first_name || ' ' || last_name (dashboard/models/contact.py FULL_NAME).

create index index_companies_on_owner_id_and_lower_name on crm.companies (owner_id, lower(name), id);
create index index_contacts_on_owner_id_and_lower_full_name on crm.contacts
  (owner_id, lower((first_name || ' ') || last_name), id);
create index index_deals_on_owner_id_and_lower_name on crm.deals (owner_id, lower(name), id);

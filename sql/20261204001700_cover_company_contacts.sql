-- The company scores read each contact's company twice: the interactions
-- figure maps 500,000 interactions to companies through their contacts, and
-- the decision-maker figure takes each company's best contact. Both scanned
-- the 143 MB contacts heap for two narrow columns. The company index now
-- carries them (id, decision_maker_score): index-only scans of 14 MB instead
-- (crm.company_score_breakdown(null) at the large scale: 3.0 s -> 2.7 s).
-- It still serves a company's contacts and the foreign key's deletes.

drop index crm.index_contacts_on_company_id;

create index index_contacts_on_company_id_covering on crm.contacts (company_id) include (id, decision_maker_score);

comment on index crm.index_contacts_on_company_id_covering is
  'A company''s contacts (company page, foreign key) and, index-only, the company scores'' contact-to-company map and best decision maker.';

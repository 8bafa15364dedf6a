-- Companies and contacts readable through a readable deal: the same rows as
-- before, asked per row with EXISTS instead of "id IN (every id the user's
-- deals reach)".
--
-- An IN (subquery) in a policy is always run as a hashed SubPlan: the first
-- row that is not the user's own builds the whole set. A company page with
-- one contact owned by someone else built every stakeholder contact of the
-- rep's 2,000 deals (7-10 ms at the large scale) to check that one row, and
-- a manager's pages the set of their team's 20,000 deals. An EXISTS in an OR
-- becomes an AlternativeSubPlan: the planner probes the deals
-- (index_deals_on_company_id, index_deals_on_primary_contact_id,
-- index_deal_stakeholders_on_contact_id) for a few rows and still builds the
-- hashed set when it expects many (tests/test_rls_catalog.py,
-- test_reach_through_reads_probe_per_row).
--
-- A stakeholder row read here runs its own policy (an EXISTS on its deal):
-- one primary-key probe per stakeholder of the checked contact, so the helper
-- app.readable_deal_stakeholder_contact_ids() that avoided it for the whole
-- set (20261125002130) is no longer needed.
--
-- Lists count and page only rows the user owns (or their team: see
-- dashboard/permissions.py listed_owners), so the reach-through terms are
-- never reached there; the read policy itself is unchanged in what it grants.

alter policy "companies: read own, team's, and those of readable deals" on crm.companies
  using ((select app.is_admin())
         or owner_id = any ((select app.readable_user_ids())::uuid[])
         or exists (select 1 from crm.deals d
                    where d.company_id = companies.id
                      and d.owner_id = any ((select app.readable_user_ids())::uuid[])));

alter policy "contacts: read own, team's, and those on readable deals" on crm.contacts
  using ((select app.is_admin())
         or owner_id = any ((select app.readable_user_ids())::uuid[])
         or exists (select 1 from crm.deals d
                    where d.primary_contact_id = contacts.id
                      and d.owner_id = any ((select app.readable_user_ids())::uuid[]))
         or exists (select 1 from crm.deal_stakeholders s join crm.deals d on d.id = s.deal_id
                    where s.contact_id = contacts.id
                      and d.owner_id = any ((select app.readable_user_ids())::uuid[])));

drop function app.readable_deal_stakeholder_contact_ids();

-- A manager's contacts list counts the team's contacts (about 46,000 at the
-- large scale): with the id beside the owner, the count and the policy's
-- owner test read the index only (8 ms instead of 19 ms from the heap).
create index index_contacts_on_owner_id_engagement_covering on crm.contacts (owner_id, engagement_score desc)
  include (id);
comment on index crm.index_contacts_on_owner_id_engagement_covering is
  'Contacts by owner (a rep''s and a team''s list counts, index-only; sort by engagement): bench/pages.py.';
drop index crm.index_contacts_on_owner_id_and_engagement_score;

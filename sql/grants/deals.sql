-- Table privileges on deals, their stages, links and history.
grant select, insert, update, delete
  on table crm.deal_stages, crm.deals, crm.deal_meetings, crm.deal_stage_history, crm.deal_stakeholders,
           crm.meeting_sequences
  to crm_app;

-- the helper reads deals and writes only their computed scores
grant select on table crm.deal_stages, crm.deal_meetings, crm.deal_stage_history, crm.deal_stakeholders to crm_helper;
grant select, update (deal_intelligence_score, win_probability_ai, risk_factors) on table crm.deals to crm_helper;

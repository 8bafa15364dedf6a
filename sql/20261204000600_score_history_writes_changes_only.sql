-- Today's score snapshot is written only where it changes. A second
-- `crm score` on the same day, and every rescore after a write (which
-- snapshots the rows it rescored), rewrote each of today's rows with the same
-- scores: 150,000 dead rows per full run at the large scale (1.3 s), for
-- nothing. The first run of a day still inserts every row. recorded_at stays
-- the time the day's values were first seen.

create or replace function crm.record_score_history(company_ids uuid[] default null, deal_ids uuid[] default null,
                                                    as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  snapshot_day date := (as_of at time zone 'UTC')::date;
  n1 integer;
  n2 integer;
begin
  perform app.require_ai_features();
  insert into crm.company_score_history as h (company_id, day, engagement_score, lead_score, recorded_at)
  select c.id, snapshot_day, c.engagement_score, c.lead_score, as_of from crm.companies c
  where company_ids is null or c.id = any (company_ids)
  on conflict on constraint pk_company_score_history do update
    set engagement_score = excluded.engagement_score, lead_score = excluded.lead_score,
        recorded_at = excluded.recorded_at
    where (h.engagement_score, h.lead_score) is distinct from (excluded.engagement_score, excluded.lead_score);
  get diagnostics n1 = row_count;
  insert into crm.deal_score_history as h (deal_id, day, deal_intelligence_score, win_probability_ai, risk_factor_count,
                                           recorded_at)
  select d.id, snapshot_day, d.deal_intelligence_score, d.win_probability_ai, coalesce(cardinality(d.risk_factors), 0), as_of
  from crm.deals d
  where deal_ids is null or d.id = any (deal_ids)
  on conflict on constraint pk_deal_score_history do update
    set deal_intelligence_score = excluded.deal_intelligence_score, win_probability_ai = excluded.win_probability_ai,
        risk_factor_count = excluded.risk_factor_count, recorded_at = excluded.recorded_at
    where (h.deal_intelligence_score, h.win_probability_ai, h.risk_factor_count)
          is distinct from (excluded.deal_intelligence_score, excluded.win_probability_ai, excluded.risk_factor_count);
  get diagnostics n2 = row_count;
  return n1 + n2;
end
$$;
comment on function crm.record_score_history(uuid[], uuid[], timestamptz) is
  'Upserts today''s (UTC) score snapshot of the given (null: all) companies and deals; writes only rows that are new or changed; returns their number.';

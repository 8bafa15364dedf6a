-- The win model's features read every completed activity of every deal
-- (crm.deal_win_features: count, 30-day count, mean sentiment before the
-- deal's cutoff). Each came from the 1.7 GB activities heap, or from the
-- date-ordered scoring index, and was hash-joined to its deal and hashed
-- again by deal: 1.7 s of the 2.7 s feature query at the large scale.
--
-- The deal index now carries what those aggregates read (status, sentiment,
-- quality) and leaves out activities without a deal: in deal order, the
-- planner merge-joins it to the deals and aggregates each deal as it passes
-- (0.8 s; the feature query 1.8 s; bench/rescore.py "win_model"). It is
-- 82 MB instead of 142: 37% of the activities have no deal. It still
-- serves a deal page's activities (deal_id = :id order by date desc) and the
-- foreign key's deletes (deal_id = :id implies deal_id is not null).

drop index crm.index_activities_on_deal_id_and_date;

create index index_activities_on_deal_id_and_date_covering on crm.activities (deal_id, date desc)
  include (status, sentiment_score, engagement_quality)
  where deal_id is not null;

comment on index crm.index_activities_on_deal_id_and_date_covering is
  'A deal''s activities by date (deal page, deal foreign key) and, index-only, the win model''s per-deal activity features.';

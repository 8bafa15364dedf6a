"""The intelligence layer (DESIGN.md "Intelligence").

The scores are SQL (``sql/functions/scores.sql``, ``sql/functions/rescoring.sql``, ``sql/functions/win_model.sql``);
this package adds what SQL cannot do well: the sales-aware sentiment of free text
(:mod:`.sentiment`, VADER plus the sales rules of :mod:`.sales_lexicon`, measured by
:mod:`.sentiment_eval` on the labelled notes in ``corpus/``), training the win-probability model (:mod:`.win_model`),
the orchestration of a full rescore and of a rescore after a write
(:mod:`.scores`), and the ``crm score`` command (:mod:`.cli`).
"""

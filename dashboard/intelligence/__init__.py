"""The intelligence layer (DESIGN.md "Intelligence").

The scores are SQL (``sql/20261125001610_create_scoring_functions.sql``);
this package adds what SQL cannot do well: the VADER sentiment of free text
(:mod:`.sentiment`), training the win-probability model (:mod:`.win_model`),
the orchestration of a full rescore and of a rescore after a write
(:mod:`.scores`), and the ``crm score`` command (:mod:`.cli`).
"""

"""``python -m dashboard.cli ...``: the ``crm`` command (``crm serve`` starts its worker this way)."""

from dashboard.cli import main

main()

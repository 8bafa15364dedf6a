"""Deterministic synthetic demo data (``crm demo-data``).

:func:`load_demo` generates the ``small`` or ``large`` data set of DESIGN.md
("Scales") for a seed and a date and bulk-loads it with COPY in one
transaction. :mod:`.generate` runs the phases that write the entities
(:mod:`.accounts`, :mod:`.deals`, :mod:`.meetings`, :mod:`.activities`,
:mod:`.tasks`, over the state of :mod:`.base` and the shared :mod:`.basics`),
:mod:`.phrases` holds the text pools, :mod:`.copytext` the COPY formatting and
:mod:`.load` the loading.
"""

from dashboard.demo.generate import DEMO_PASSWORD, SCALES, Scale
from dashboard.demo.load import DemoDataExists, load_demo

__all__ = ["DEMO_PASSWORD", "SCALES", "DemoDataExists", "Scale", "load_demo"]

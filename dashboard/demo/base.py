"""The demo generator's state and plumbing: the seeded random source, the clock, the sinks and the
draws every phase uses."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from faker import Faker

from dashboard.demo import phrases as P
from dashboard.demo.basics import HISTORY_DAYS, NOTE_POOLS, TABLES, Scale, Sink, User
from dashboard.demo.copytext import DAY, HOUR, Clock, uuid_factory


class GeneratorBase:
    """The seeded state every phase draws from, and the helpers they share (see :mod:`.generate`)."""

    def __init__(self, scale: Scale, seed: int, as_of: dt.date, stages: Sequence[tuple],
                 password_hash: str, sink: Callable[[str], Sink]):
        self.scale = scale
        self.rng = rng = random.Random(seed)
        self.rnd = rng.random
        self.gauss = rng.gauss
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.new_id = uuid_factory(rng)
        self.clock = Clock(as_of)
        self.ts = self.clock.ts
        self.now = self.clock.now
        self.start = self.now - HISTORY_DAYS * DAY
        self.password_hash = password_hash
        self.out = {table: sink(table) for table in TABLES}
        # stages: (id, name, is_won, is_lost) in board order
        self.open_stages = [(s[0], s[1]) for s in stages if not s[2] and not s[3]]
        self.won_stage = next((s[0], s[1]) for s in stages if s[2])
        self.lost_stage = next((s[0], s[1]) for s in stages if s[3])
        if not self.open_stages:
            raise ValueError("the pipeline has no open stage")
        # last-90-day totals per rep for the targets: revenue, outbound, meetings, proposals
        self.rep_stats: dict[str, list[float]] = {}
        self.auto_tasks = 0

    # --- plumbing ------------------------------------------------------------------------------

    def emit(self, table: str, row: tuple[str, ...]) -> None:
        self.out[table].add(row)

    def pick(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        return lo + int(self.rnd() * (hi - lo)) if hi > lo else lo

    def work_time(self, t: int, lo: int, hi: int) -> int:
        """Move ``t`` to a weekday during (US) office hours, kept within [lo, hi]."""
        d = t // DAY
        weekday = (d + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5 and self.rnd() < 0.92:
            d -= weekday - 4
        t = d * DAY + 13 * HOUR + int(self.rnd() * 9 * HOUR)
        return lo if t < lo else hi if t > hi else t

    def note(self, polarity: str, ctx: dict, next_step: float = 0.4) -> str:
        """One to three sentences of a sales note in the given mood."""
        pool = NOTE_POOLS[polarity]
        rnd = self.rnd
        ctx["weekday"] = P.WEEKDAYS[int(rnd() * 5)]
        n = len(pool)
        i = int(rnd() * n)
        s = pool[i].format_map(ctx)
        if rnd() < 0.35:  # a second, different sentence in the same mood
            s += " " + pool[(i + 1 + int(rnd() * (n - 1))) % n].format_map(ctx)
        if rnd() < next_step:
            s += " " + P.NEXT_STEPS[int(rnd() * len(P.NEXT_STEPS))].format_map(ctx)
        return s

    def mood(self, tone: float, spread: float = 1.0) -> str:
        u = tone + self.gauss(0.0, spread)
        return "positive" if u > 0.5 else "negative" if u < -0.5 else "neutral"

    def count_stat(self, user: User, slot: int, t: int, amount: float = 1.0) -> None:
        if user.role == "rep" and self.now - 90 * DAY <= t <= self.now:
            self.rep_stats[user.id][slot] += amount

    def _company_ctx(self, c: int, contact: int) -> dict:
        """Phrase placeholders for account work at company ``c`` (not tied to a deal)."""
        pick = self.pick
        return {"contact": self.ct_first[contact] if contact >= 0 else "the team", "company": self.c_short[c],
                "deal": f"{self.c_short[c]} account", "product": pick(P.PRODUCTS), "feature": pick(P.FEATURES),
                "competitor": pick(P.COMPETITORS), "weekday": "Monday", "quarter": 1 + int(self.rnd() * 4),
                "seats": 50, "label": "meeting", "title": ""}

"""Demo phase: deals with their stage history, stakeholders and legacy text links."""

from __future__ import annotations

import datetime as dt
import math

from dashboard.demo import phrases as P
from dashboard.demo.base import GeneratorBase
from dashboard.demo.basics import (
    LEGACY_SHARE,
    OTHER_ROLES,
    Deal,
    User,
    clamp,
    email_part,
    name_variant,
    short_company,
    sigmoid,
)
from dashboard.demo.copytext import DAY, HOUR, NULL, boolean, jsonb, text

MEDIAN_VALUE = (6_000, 12_000, 30_000, 70_000, 150_000)  # by company size


class DealPhases(GeneratorBase):
    """Deals, their stage history and stakeholders, and the legacy rows of ~10% of them."""

    def deals(self) -> None:
        """Deals with their stage path, history, stakeholders, and legacy text links for ~10%."""
        rnd, gauss = self.rnd, self.gauss
        self.deal_list: list[Deal] = []
        legacy_no = 0
        for _ in range(self.scale.deals):
            legacy = rnd() < LEGACY_SHARE
            c = self.company_weights.pick(rnd())
            owner = self._deal_owner(c)
            q = gauss(0.0, 1.0) + owner.skill
            created = self._deal_created(c)
            closed, won, value, end, furthest = self._deal_course(c, q, created)
            stage_times = self._stage_times(furthest, closed, created, end)
            deal_id = self.new_id()
            tone = 0.8 * q + gauss(0.0, 0.6)
            drift = (0.2 if won else -0.35) if closed else 0.0
            deal = Deal(deal_id, owner, -1 if legacy else c, -1, q, tone, drift, created, end, closed, won, value,
                        "", [], stage_times, {})
            if legacy:
                legacy_no += 1
                self._legacy_deal(deal, c, f"LD-{legacy_no:06d}")
            else:
                deal.name = f"{self.c_short[c]} - {self.pick(P.DEAL_THEMES)}"
                self._stakeholders(deal)
            deal.ctx = self._deal_ctx(deal, c, legacy)
            self.deal_list.append(deal)
            self._write_deal(deal, furthest)

    def _deal_owner(self, c: int) -> User:
        """Mostly the company's owner; sometimes a teammate or any rep."""
        owner = self.c_owner[c]
        r = self.rnd()
        if r < 0.05:
            owner = self.pick(self.team_reps[owner.team])
        elif r < 0.07:
            owner = self.pick(self.reps)
        return owner

    def _deal_created(self, c: int) -> int:
        """After the company, weighted towards recent months."""
        lo = max(self.start, self.c_created[c] + DAY)
        hi = self.now - DAY
        if lo > hi - 5 * DAY:
            lo = hi - 5 * DAY
        return self.work_time(lo + int((hi - lo) * self.rnd() ** 0.75), lo, hi)

    def _deal_course(self, c: int, q: float, created: int) -> tuple[bool, bool, float, int, int]:
        """(closed, won, value, end, furthest open stage): a deal closes once its sales cycle is over,
        more often the older it is (the rest stall open), and is won with a chance that follows ``q``."""
        rnd, gauss = self.rnd, self.gauss
        n_open = len(self.open_stages)
        age_days = (self.now - created) / DAY
        cycle_days = max(3.0, math.exp(gauss(math.log(50), 0.55)))
        over = created + cycle_days * DAY < self.now - 2 * HOUR
        closed = over and rnd() < 0.3 + 0.55 * min(1.0, age_days / 365)
        size = self.c_size[c]
        value = max(500.0, round(MEDIAN_VALUE[size] * math.exp(gauss(0.0, 0.6)), -2))
        value_z = math.log(value / MEDIAN_VALUE[size]) / 0.6
        won = closed and rnd() < sigmoid(1.8 * q - 0.3 - 0.15 * value_z + gauss(0.0, 0.3))
        if closed:
            end = created + int(cycle_days * DAY)
            furthest = (round(1.8 + 0.5 * q + gauss(0.0, 0.9)) if won
                        else round(1.3 + 0.5 * q + gauss(0.0, 1.0)))
        else:
            stale = min(self.rng.expovariate(1.0 / (6.0 * math.exp(-0.6 * q))), age_days - 0.1)
            end = self.now - int(stale * DAY)
            furthest = round(0.7 + 0.5 * q + 0.9 * min(1.0, age_days / cycle_days) + gauss(0.0, 0.9))
        furthest = int(clamp(furthest, min(1 if won else 0, n_open - 1), n_open - 1))
        return closed, won, value, end, furthest

    def _stage_times(self, furthest: int, closed: bool, created: int, end: int) -> list[tuple[int, int]]:
        """The open stages a deal went through up to ``furthest`` (sometimes skipping one or moving
        back), each with the time it was entered."""
        rnd = self.rnd
        path = list(range(1 if furthest >= 1 and rnd() < 0.12 else 0, furthest + 1))
        if len(path) >= 3 and rnd() < 0.08:
            del path[1 + int(rnd() * (len(path) - 2))]
        if not closed and furthest >= 1 and rnd() < 0.05:
            path.append(furthest - 1)  # moved back a stage
        times = sorted(created + 60 + int(rnd() * max(60, end - created - 120)) for _ in path[1:])
        stage_times = [(path[0], created)]
        for stage, t in zip(path[1:], times, strict=True):
            stage_times.append((stage, max(t, stage_times[-1][1] + 60)))
        return stage_times

    def _legacy_deal(self, deal: Deal, c: int, legacy_id: str) -> None:
        """A deal only the old system's text links point at; 15% name a company that is not in the CRM."""
        c_text = c if self.rnd() < 0.85 else -1
        company_name = self.c_short[c] if c_text >= 0 else short_company(self.fake.company())
        deal.name = f"{company_name} - {self.pick(P.DEAL_THEMES)}"
        self._legacy_links(deal, c_text, company_name)
        deal.legacy_id = legacy_id

    def _deal_ctx(self, deal: Deal, c: int, legacy: bool) -> dict:
        """Phrase placeholders for the deal's notes, meetings and tasks."""
        rnd = self.rnd
        contact_first = (self.ct_first[deal.contact] if deal.contact >= 0
                         else deal.legacy_contact[3] if deal.legacy_contact else "the team")
        ctx = {"contact": contact_first, "company": self.c_short[c] if c >= 0 else "the customer",
               "deal": deal.name, "product": self.pick(P.PRODUCTS), "feature": self.pick(P.FEATURES),
               "competitor": self.pick(P.COMPETITORS), "weekday": "Monday",
               "quarter": (int(self.clock.date(deal.created)[5:7]) + 2) // 3,
               "seats": 10 * (1 + int(rnd() * 30)),
               "label": "meeting", "title": ""}
        if legacy:
            ctx["company"] = deal.legacy_company or "the customer"
        return ctx

    def _stakeholders(self, deal: Deal) -> None:
        """The buying committee: its size, champion and decision maker follow the deal's quality."""
        rnd, gauss = self.rnd, self.gauss
        pool = list(self.c_contacts[deal.company])
        if not pool:
            return
        q = deal.q
        n = int(clamp(round(1.3 + 1.1 * q + gauss(0.0, 0.9)), 0, min(6, len(pool))))
        chosen: list[tuple[int, str, bool]] = []
        if n:
            by_rank = sorted(pool, key=lambda i: (-self.ct_rank[i], i))
            has_dm = rnd() < sigmoid(1.1 * q + 0.1)
            has_champion = rnd() < sigmoid(1.4 * q - 0.2)
            taken: set[int] = set()
            if has_dm:
                top = by_rank[: max(1, len(by_rank) // 3)]
                who = top[int(rnd() * len(top))]
                chosen.append((who, "budget_holder" if rnd() < 0.3 else "decision_maker", False))
                taken.add(who)
            rest = [i for i in pool if i not in taken]
            self.rng.shuffle(rest)
            if has_champion and len(chosen) < n and rest:
                who = rest.pop()
                chosen.append((who, "champion" if rnd() < 0.5 else self.pick(("influencer", "technical_evaluator")),
                               True))
            while len(chosen) < n and rest:
                chosen.append((rest.pop(), OTHER_ROLES.pick(rnd()), False))
            deal.stakeholders = chosen
        champions = [i for i, _, champ in chosen if champ]
        dms = [i for i, role, _ in chosen if role in ("decision_maker", "budget_holder")]
        if champions:
            deal.contact = champions[0]
        elif chosen and rnd() < 0.7:
            deal.contact = chosen[0][0]
        elif dms:
            deal.contact = dms[0]
        else:
            deal.contact = pool[int(rnd() * len(pool))]

    def _legacy_links(self, deal: Deal, c: int, company_name: str) -> None:
        """The text the old system held instead of links: name variants, sometimes a personal email."""
        rnd, pick = self.rnd, self.pick
        deal.legacy_company = company_name
        if c >= 0 and self.c_contacts[c]:
            ct = pick(self.c_contacts[c])
            first, last, email = self.ct_first[ct], self.ct_last[ct], self.ct_email[ct]
            r = rnd()
            if r < 0.2 and email:
                email = email.upper() if rnd() < 0.3 else email
            elif r < 0.45:
                email = f"{email_part(first)}.{email_part(last)}{int(rnd() * 90) + 10}@{pick(P.PERSONAL_EMAIL_DOMAINS)}"
            elif r < 0.65:
                email = None
            name_of = self.c_name[c]
        else:
            first, last = self.fake.first_name(), self.fake.last_name()
            r = rnd()
            email = (f"{email_part(first)}@{email_part(company_name)}.com" if r < 0.4
                     else f"{email_part(first)}{email_part(last)}@{pick(P.PERSONAL_EMAIL_DOMAINS)}" if r < 0.7
                     else None)
            name_of = company_name
        r = rnd()
        contact_name = (f"{first} {last}" if r < 0.6 else f"{last}, {first}" if r < 0.75
                        else f"{first} {last}".upper() if r < 0.85 else first)
        phone = (f"({201 + int(rnd() * 780)}) 555-01{int(rnd() * 100):02d}" if rnd() < 0.6 else None)
        deal.legacy_contact = (contact_name, email, phone, first)
        deal.legacy_text = name_variant(name_of, rnd, pick)

    def _write_deal(self, deal: Deal, furthest: int) -> None:
        rnd, new_id, ts, clock = self.rnd, self.new_id, self.ts, self.clock
        history = deal.stage_times
        stage_ids = [self.open_stages[i][0] for i, _ in history]
        times = [t for _, t in history]
        if deal.closed:
            stage_ids.append((self.won_stage if deal.won else self.lost_stage)[0])
            times.append(deal.end)
            status = "won" if deal.won else "lost"
            closed_at = ts(deal.end)
            expected = clock.date(deal.end + int((rnd() * 42 - 21) * DAY))
        else:
            status, closed_at = "active", NULL
            expected_t = self.now + int((rnd() * 125 - 25) * DAY)
            expected = clock.date(max(expected_t, deal.created + 14 * DAY))
        changed_at = times[-1]
        comp = self.c_id[deal.company] if deal.company >= 0 else NULL
        contact = self.ct_id[deal.contact] if deal.contact >= 0 else NULL
        competitor = {}
        if rnd() < (0.3 if deal.q > 0 else 0.45):
            names = self.rng.sample(P.COMPETITORS, 1 + int(rnd() * 2))
            competitor = {"competitors": names, "primary": names[0],
                          "threat_level": ("low", "medium", "high")[int(clamp(1 - deal.q + self.gauss(0, 0.7), 0, 2))]}
        fit = f"{clamp(0.6 + 0.15 * deal.q + self.gauss(0.0, 0.15), 0.0, 1.0):.2f}" if rnd() < 0.6 else NULL
        budget = furthest >= 2 and rnd() < sigmoid(1.0 * deal.q + 0.3)
        self.emit("deals", (
            deal.id, text(deal.name), f"{deal.value:.2f}", stage_ids[-1], deal.owner.id, expected, status,
            closed_at, ts(changed_at), comp, contact, jsonb(competitor), fit, boolean(budget),
            ts(deal.created), ts(changed_at), "1", lost_reason(deal.id) if status == "lost" else NULL))
        previous = NULL
        for stage_id, t in zip(stage_ids, times, strict=True):
            self.emit("deal_stage_history", (new_id(), deal.id, previous, stage_id, ts(t), deal.owner.id))
            previous = stage_id
        for contact_idx, role, champion in deal.stakeholders:
            rank = self.ct_rank[contact_idx]
            influence = ("low", "medium", "medium" if rnd() < 0.5 else "high", "high", "critical")[rank]
            if role in ("decision_maker", "budget_holder") and influence in ("low", "medium"):
                influence = "high"
            strength = (f"{clamp(0.5 + 0.15 * deal.q + self.gauss(0.0, 0.15), 0.0, 1.0):.2f}"
                        if rnd() < 0.9 else NULL)
            notes = text(self.pick(P.STAKEHOLDER_NOTES[self.mood(deal.tone)])) if rnd() < 0.4 else NULL
            at = ts(deal.created + int(rnd() * min(30 * DAY, deal.end - deal.created)))
            self.emit("deal_stakeholders", (new_id(), deal.id, self.ct_id[contact_idx], role, influence, strength,
                                            boolean(champion), notes, at, at, "1"))
        if deal.legacy_id:
            self._write_legacy_deal(deal, self.open_stages[history[-1][0]][1] if not deal.closed
                                    else (self.won_stage if deal.won else self.lost_stage)[1], expected)

    def _write_legacy_deal(self, deal: Deal, stage_name: str, expected: str) -> None:
        rnd = self.rnd
        name, email, phone, _ = deal.legacy_contact
        r = rnd()
        value = (f"{deal.value:.2f}" if r < 0.8 else f"{deal.value:,.0f}" if r < 0.9 else f"${deal.value:,.2f}")
        stage = stage_name if rnd() < 0.8 else stage_name.lower()
        owner_email = deal.owner.email if rnd() < 0.9 else deal.owner.email.upper()
        created = dt.datetime.fromtimestamp(deal.created, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.emit("legacy_deals", (
            self.new_id(), deal.legacy_id, text(deal.name), text(deal.legacy_text),
            text(name), text(email), text(phone), value, text(stage), owner_email,
            expected if rnd() < 0.95 else NULL, created, deal.id, "demo", self.ts(self.now - 2 * DAY)))


# the reasons the migration 20261207001300 ships (Price, Competitor, No budget, No decision, Timing)
LOST_REASONS = tuple(f"00000000-0000-4000-8000-00000000010{n}" for n in range(1, 6))


def lost_reason(deal_id) -> str:
    """A lost deal's reason, from its id (the random stream, and so the rest of the data, stays as it was)."""
    return LOST_REASONS[int(str(deal_id).replace("-", "")[-6:], 16) % len(LOST_REASONS)]

"""Demo phases: activities per deal and per account, and the contact interactions logged directly."""

from __future__ import annotations

import math

from dashboard.demo import phrases as P
from dashboard.demo.base import GeneratorBase
from dashboard.demo.basics import (
    ACCOUNT_ACTIVITY_TYPES,
    DEAL_ACTIVITY_SHARE,
    DEAL_ACTIVITY_TYPES,
    DIRECT_INTERACTION_TYPES,
    ENGAGEMENT,
    INTERACTION_TYPE,
    OUTBOUND_POOLS,
    SOURCES,
    Deal,
    User,
    allocate,
    clamp,
)
from dashboard.demo.copytext import DAY, HOUR, NULL, text


class ActivityPhases(GeneratorBase):
    """Calls, emails, outbound, notes, proposals and sales; and direct contact interactions."""

    def activities(self) -> None:
        """Calls, emails, outbound, notes, proposals and sales: per deal (mood and volume follow the
        deal's quality), then account prospecting fills the total."""
        s, gauss = self.scale, self.gauss
        deals = self.deal_list
        n_open = len(self.open_stages)
        proposals = sum((1 if d.value < 50_000 else 2) for d in deals
                        if max(st for st, _ in d.stage_times) >= min(2, n_open - 1))
        sales = sum(1 for d in deals if d.won)
        rest = max(0, s.activities - self.meeting_activity_count - proposals - sales)
        deal_budget = int(rest * DEAL_ACTIVITY_SHARE)
        weights = [math.exp(0.35 * d.q + gauss(0.0, 0.3)) * clamp((d.end - d.created) / (45 * DAY), 0.2, 3.0) ** 0.8
                   for d in deals]
        per_deal = allocate(deal_budget, weights)
        # interactions still wanted after the meeting ones: ~85% from calls and emails, the rest logged directly
        have = self.out["contact_interactions"].rows
        want = max(0, s.interactions - have)
        # calls, emails and outbound with a contact and completed: ~60% of both deal and account activities
        contact_linked = 0.6 * rest
        self.p_interaction = clamp(0.85 * want / max(1.0, contact_linked), 0.0, 1.0)

        for deal, n in zip(deals, per_deal, strict=True):
            self._deal_activities(deal, n)
        written = self.out["activities"].rows
        self._account_activities(max(0, s.activities - written))

    def _activity(self, user: User, atype: str, status: str, subject: str, details: str | None, t: int,
                  company: int, contact: int, deal_id: str, source: str, link: str, strength: str,
                  mood: str, amount: str = NULL) -> None:
        rnd = self.rnd
        activity_id = self.new_id()
        at = self.ts(t)
        comp = self.c_id[company] if company >= 0 else NULL
        self.emit("activities", (
            activity_id, user.id, atype, status, text(subject), text(details), at, amount, "1", comp,
            self.ct_id[contact] if contact >= 0 else NULL, deal_id, source, at, at, "1"))
        if company >= 0:
            self.emit("company_activities", (comp, activity_id, strength, link, at))
        if (contact >= 0 and status == "completed" and atype in INTERACTION_TYPE
                and rnd() < self.p_interaction):
            inbound = atype == "email" and rnd() < (0.5 if mood == "positive" else 0.25)
            engagement = clamp(ENGAGEMENT[mood] + self.gauss(0.0, 0.12) + (0.1 if inbound else 0.0), 0.0, 1.0)
            self.emit("contact_interactions", (
                self.new_id(), self.ct_id[contact], user.id, activity_id, NULL, INTERACTION_TYPE[atype],
                "inbound" if inbound else "outbound", f"{engagement:.2f}", at, NULL, at, at))
        if atype == "outbound":
            self.count_stat(user, 1, t)

    def _deal_activities(self, deal: Deal, n: int) -> None:
        rnd, pick, ctx = self.rnd, self.pick, deal.ctx
        owner = deal.owner
        legacy = deal.legacy_id is not None
        c = deal.company
        contacts = [deal.contact] if deal.contact >= 0 else []
        contacts += [i for i, _, _ in deal.stakeholders if i != deal.contact]
        span = max(HOUR, deal.end - deal.created)
        link, strength = "deal", "0.90"
        future_one = not deal.closed and n and rnd() < 0.2
        for k in range(n):
            if future_one and k == 0:
                t = self.work_time(self.now + int(rnd() * 10 * DAY), self.now + HOUR, self.now + 14 * DAY)
                status = "pending"
            else:
                t = self.work_time(deal.created + int(rnd() * span), deal.created, deal.end)
                status = "completed"
            frac = (t - deal.created) / span
            atype = DEAL_ACTIVITY_TYPES.pick(rnd())
            mood = self.mood(deal.tone + (deal.drift if frac > 0.7 else 0.0))
            if atype == "outbound":
                details = pick(OUTBOUND_POOLS[mood]).format_map(ctx)
            else:
                details = self.note(mood, ctx)
            if status == "completed":
                r = rnd()
                if r < 0.01:
                    status = "cancelled"
                elif atype == "call" and r < 0.04:
                    status = "no_show"
            contact = -1
            if contacts and (atype != "note" or rnd() < 0.3):
                contact = contacts[0] if rnd() < 0.6 else contacts[int(rnd() * len(contacts))]
            source = "import" if legacy and rnd() < 0.5 else SOURCES[atype].pick(rnd())
            subject = pick(P.ACTIVITY_SUBJECTS[atype]).format_map(ctx)
            self._activity(owner, atype, status, subject, details, t, c, contact, deal.id, source, link,
                           strength, mood)

        # a proposal once the deal reached Opportunity (two for big deals); a sale just after a win
        n_open = len(self.open_stages)
        reached = [t for st, t in deal.stage_times if st >= min(2, n_open - 1)]
        if reached:
            for _ in range(1 if deal.value < 50_000 else 2):
                t = self.work_time(reached[0] + int(rnd() * max(HOUR, deal.end - reached[0])), reached[0], deal.end)
                ctx["weekday"] = pick(P.WEEKDAYS)
                self._activity(owner, "proposal", "completed", pick(P.ACTIVITY_SUBJECTS["proposal"]).format_map(ctx),
                               pick(P.PROPOSAL_DETAILS).format_map(ctx), t, c, deal.contact, deal.id, "crm", link,
                               strength, "neutral")
                self.count_stat(owner, 3, t)
        if deal.won:
            t = deal.end + 1 + int(rnd() * min(2 * DAY, max(1, self.now - deal.end - 1)))
            self._activity(owner, "sale", "completed", pick(P.ACTIVITY_SUBJECTS["sale"]).format_map(ctx),
                           pick(P.SALE_DETAILS).format_map(ctx), t, c, deal.contact, deal.id, "crm", link,
                           strength, "neutral", amount=f"{deal.value:.2f}")
            self.count_stat(owner, 0, t, deal.value)

    def _account_activities(self, total: int) -> None:
        """Prospecting and account work not tied to a deal, spread over companies (2% with no company)."""
        rnd, pick = self.rnd, self.pick
        n_companies = len(self.c_id)
        weights = [math.exp(self.gauss(0.0, 0.8)) for _ in range(n_companies)]
        without_company = total // 50
        per_company = allocate(total - without_company, weights)
        for c, n in enumerate(per_company):
            if not n:
                continue
            owner = self.c_owner[c]
            pool = self.c_contacts[c]
            ctx = self._company_ctx(c, pool[0] if pool else -1)
            tone = self.c_tone[c]
            lo = max(self.start, self.c_created[c])
            for _ in range(n):
                atype = ACCOUNT_ACTIVITY_TYPES.pick(rnd())
                contact = pool[int(rnd() * len(pool))] if pool and rnd() < 0.7 else -1
                if contact >= 0:
                    ctx["contact"] = self.ct_first[contact]
                if rnd() < 0.01:
                    t = self.work_time(self.now + int(rnd() * 14 * DAY), self.now + HOUR, self.now + 15 * DAY)
                    status = "pending"
                else:
                    t = self.work_time(self.between(lo, self.now), lo, self.now - 60)
                    status = "completed" if rnd() > 0.01 else "cancelled"
                if atype == "outbound":
                    r = rnd()
                    mood = "positive" if r < 0.08 else "negative" if r < 0.16 else "neutral"
                    details = pick(OUTBOUND_POOLS[mood]).format_map(ctx)
                else:
                    mood = self.mood(tone)
                    details = self.note(mood, ctx, next_step=0.25)
                link, strength = ("contact", "0.80") if contact >= 0 else ("direct", "1.00")
                self._activity(owner, atype, status, pick(P.ACTIVITY_SUBJECTS[atype]).format_map(ctx), details, t,
                               c, contact, NULL, SOURCES[atype].pick(rnd()), link, strength, mood)
        for _ in range(without_company):
            owner = pick(self.reps)
            t = self.work_time(self.between(self.start, self.now), self.start, self.now - 60)
            ctx = {"contact": "the team", "company": "the territory", "product": pick(P.PRODUCTS),
                   "quarter": 1 + int(rnd() * 4), "weekday": pick(P.WEEKDAYS), "feature": pick(P.FEATURES)}
            atype = "outbound" if rnd() < 0.6 else "note"
            details = (pick(P.OUTBOUND_NEUTRAL) if atype == "outbound" else pick(P.NEUTRAL_NOTES)).format_map(ctx)
            subject = "Territory campaign" if atype == "outbound" else "Planning note"
            self._activity(owner, atype, "completed", subject, details, t, -1, -1, NULL, "manual", "direct",
                           "1.00", "neutral")

    # --- interactions -------------------------------------------------------------------------------

    def direct_interactions(self) -> None:
        """Touches logged without an activity (social, texts, events) until the interaction total is met."""
        rnd, pick, gauss = self.rnd, self.pick, self.gauss
        n = max(0, self.scale.interactions - self.out["contact_interactions"].rows)
        n_contacts = len(self.ct_id)
        for _ in range(n):
            idx = int(rnd() * n_contacts)
            itype = DIRECT_INTERACTION_TYPES.pick(rnd())
            t = self.work_time(self.between(max(self.start, self.ct_created[idx]), self.now), self.ct_created[idx],
                               self.now - 60)
            c = self.ct_company[idx]
            ctx = {"product": pick(P.PRODUCTS), "company": self.c_short[c] if c >= 0 else "their company"}
            notes = pick(P.INTERACTION_NOTES[itype]).format_map(ctx) if rnd() < 0.6 else None
            tone = self.c_tone[c] if c >= 0 else 0.0
            engagement = clamp(0.45 + 0.12 * tone + gauss(0.0, 0.18), 0.0, 1.0)
            at = self.ts(t)
            self.emit("contact_interactions", (
                self.new_id(), self.ct_id[idx], self.ct_owner[idx].id, NULL, NULL, itype,
                "inbound" if rnd() < 0.5 else "outbound", f"{engagement:.2f}", at, text(notes), at, at))

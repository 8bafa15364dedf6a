"""Demo phase: deal meetings in sequence and account meetings, each with attendees, action items,
its activity and the attendees' interactions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.demo import phrases as P
from dashboard.demo.base import GeneratorBase
from dashboard.demo.basics import (
    ACCOUNT_MEETING_TYPES,
    ACTION_ITEM_COUNT,
    DEAL_MEETING_SHARE,
    EMAIL_RE,
    HELD,
    MEETING_ENGAGEMENT,
    PRIORITY,
    PROGRESS_TYPES,
    SUMMARY_POOLS,
    Deal,
    User,
    allocate,
    clamp,
    clamp_int,
)
from dashboard.demo.copytext import DAY, HOUR, NULL, boolean, text


@dataclass(slots=True)
class _Meeting:
    """What the parts of one meeting share while it is written."""

    id: str
    owner: User
    company: int            # index into companies, -1 for none
    company_id: str         # its id as COPY text (NULL for none)
    contact_id: str         # the primary contact's id as COPY text (NULL for none)
    deal: Deal | None
    start: int
    ends: int
    outcome: str
    created: str            # created_at as COPY text


class MeetingPhases(GeneratorBase):
    """Meetings and everything a meeting brings with it."""

    def meetings(self) -> None:
        """Deal meetings in sequence (types follow the deal's progress), then account meetings."""
        s, rnd, gauss = self.scale, self.rnd, self.gauss
        deals = self.deal_list
        budget = int(s.meetings * DEAL_MEETING_SHARE)
        weights = [math.exp(0.45 * d.q + gauss(0.0, 0.3)) * clamp((d.end - d.created) / (45 * DAY), 0.2, 3.0) ** 0.7
                   for d in deals]
        per_deal = allocate(budget, weights)
        self.meeting_activity_count = 0
        for deal, n in zip(deals, per_deal, strict=True):
            deal.n_meetings = n
            if not n:
                continue
            lo, hi = deal.created + HOUR, max(deal.created + 2 * HOUR, deal.end - HOUR)
            starts = [self.work_time(self.between(lo, hi), lo, hi) for _ in range(n)]
            future_last = not deal.closed and rnd() < 0.25 + 0.1 * deal.q
            if future_last:  # the next meeting is already in the calendar
                starts[-1] = self.work_time(self.now + int((2 + rnd() * 500) * HOUR), self.now + HOUR,
                                            self.now + 30 * DAY)
            starts.sort()
            previous = None
            for j, start in enumerate(starts):
                future = start > self.now
                frac = (start - deal.created) / max(1, deal.end - deal.created)
                mtype = self._meeting_type(j, frac)
                tone = deal.tone + (deal.drift if frac > 0.7 else 0.0)
                company = deal.company
                meeting_id, outcome, present, created = self._meeting(
                    deal.owner, company, deal.contact, deal, mtype, start, future, tone, deal.ctx)
                progression = outcome == "positive" and mtype in PROGRESS_TYPES
                self.emit("deal_meetings", (deal.id, meeting_id, outcome, boolean(progression), str(present),
                                            "direct", created))
                days = NULL if previous is None else str(max(0, (start - previous[1]) // DAY))
                self.emit("meeting_sequences", (self.new_id(), deal.id, meeting_id, str(j + 1),
                                                previous[0] if previous else NULL, days, created))
                previous = (meeting_id, start)

        # account meetings (no deal), some of them upcoming
        for _ in range(s.meetings - budget):
            c = self.company_weights.pick(rnd())
            owner = self.c_owner[c]
            pool = self.c_contacts[c]
            contact = pool[int(rnd() * len(pool))] if pool else -1
            start = self.between(max(self.start, self.c_created[c]), self.now + 21 * DAY)
            future = start > self.now
            start = self.work_time(start, self.now + HOUR if future else self.c_created[c],
                                   self.now + 30 * DAY if future else self.now - HOUR)
            ctx = self._company_ctx(c, contact)
            mtype = ACCOUNT_MEETING_TYPES.pick(rnd())
            self._meeting(owner, c, contact, None, mtype, start, future, self.c_tone[c], ctx)

    def _meeting_type(self, j: int, frac: float) -> str:
        rnd, pick = self.rnd, self.pick
        if j == 0 and rnd() < 0.8:
            return "discovery"
        if rnd() < 0.12:
            return "check_in"
        if frac < 0.35:
            return pick(("demo", "demo", "technical_review", "discovery"))
        if frac < 0.7:
            return pick(("technical_review", "stakeholder_alignment", "decision_maker_meeting", "demo"))
        if frac < 0.9:
            return pick(("proposal_presentation", "negotiation", "decision_maker_meeting"))
        return pick(("negotiation", "closing", "proposal_presentation"))

    def _meeting(self, owner: User, c: int, contact: int, deal: Deal | None, mtype: str, start: int,
                 future: bool, tone: float, ctx: dict) -> tuple[str, str, int, str]:
        """One meeting with attendees, action items (and their tasks), the meeting activity and the
        attendees' interactions. Returns (id, outcome, stakeholders present, created_at text)."""
        rnd, ts = self.rnd, self.ts
        meeting_id = self.new_id()
        ends = start + (30, 45, 60, 60, 90)[int(rnd() * 5)] * 60
        if not future and ends > self.now - 60:  # a meeting that happened is over by as_of noon
            ends = max(start, self.now - 60)
        outcome = self._meeting_outcome(future, tone)
        title, summary, next_steps = self._meeting_text(mtype, outcome, ctx)
        lo = deal.created if deal else self.c_created[c] if c >= 0 else self.start
        created_t = max(lo, start - int((1 + rnd() * 10) * DAY))
        if created_t > self.now:
            created_t = self.now - int(rnd() * DAY)
        created = ts(created_t)
        updated = ts(ends) if ends <= self.now else created
        meeting = _Meeting(meeting_id, owner, c, self.c_id[c] if c >= 0 else NULL,
                           self.ct_id[contact] if contact >= 0 else NULL, deal, start, ends, outcome, created)
        external, present = self._attendees(meeting, contact, mtype)
        follow_up_required = outcome in ("positive", "neutral") and rnd() < 0.8
        follow_up_created = self._action_items(meeting, ctx)
        self.emit("meetings", (
            meeting_id, text(title), ts(start), ts(ends), owner.id, meeting.company_id, meeting.contact_id,
            deal.id if deal else NULL, text(summary), mtype, outcome,
            boolean(follow_up_required or follow_up_created), boolean(follow_up_created),
            text(next_steps), created, updated, "1"))
        if not future and outcome != "reschedule":
            self._meeting_activity(meeting, title, summary, updated, external)
        return meeting_id, outcome, present, created

    def _meeting_outcome(self, future: bool, tone: float) -> str:
        """``pending`` when still to come; else a few cancelled, no-shows and reschedules, and the rest
        held with an outcome that follows ``tone``."""
        if future:
            return "pending"
        r = self.rnd()
        if r < 0.03:
            return "cancelled"
        if r < 0.06:
            return "no_show"
        if r < 0.11:
            return "reschedule"
        u = tone + self.gauss(0.0, 0.8)
        return "positive" if u > 0.3 else "negative" if u < -0.7 else "neutral"

    def _meeting_text(self, mtype: str, outcome: str, ctx: dict) -> tuple[str, str | None, str | None]:
        """(title, summary, next steps) in the mood of the outcome; sets ``ctx``'s label and title."""
        rnd, pick = self.rnd, self.pick
        ctx["label"] = P.MEETING_TYPE_LABELS[mtype]
        title = pick(P.MEETING_TITLES[mtype]).format_map(ctx)
        ctx["title"] = title
        summary = next_steps = None
        if outcome in HELD:
            mood = outcome if rnd() < 0.85 else "neutral"
            pool = SUMMARY_POOLS[mood]
            summary = pick(pool).format_map(ctx)
            if rnd() < 0.5:
                summary += " " + pick(pool).format_map(ctx)
            if outcome != "negative" and rnd() < 0.7:
                ctx["weekday"] = pick(P.WEEKDAYS)
                next_steps = pick(P.MEETING_NEXT_STEPS).format_map(ctx)
        elif outcome == "no_show":
            summary = pick(P.NO_SHOW_SUMMARIES).format_map(ctx)
        elif outcome == "reschedule":
            summary = pick(P.RESCHEDULE_SUMMARIES).format_map(ctx)
        return title, summary, next_steps

    def _attendees(self, meeting: _Meeting, contact: int, mtype: str) -> tuple[list[int], int]:
        """The owner, sometimes their manager, and the customer's people. Returns the contacts who
        attended and how many of them are the deal's stakeholders."""
        rnd, new_id, owner, created = self.rnd, self.new_id, meeting.owner, meeting.created
        self.emit("meeting_attendees", (new_id(), meeting.id, NULL, owner.id, text(owner.name), owner.email, "f",
                                        "organizer", created, created))
        if mtype in ("negotiation", "decision_maker_meeting", "closing") and rnd() < 0.3:
            manager = self.managers[owner.team]
            self.emit("meeting_attendees", (new_id(), meeting.id, NULL, manager.id, text(manager.name),
                                            manager.email, "f", "manager", created, created))
        deal, c = meeting.deal, meeting.company
        if deal is not None and deal.legacy_contact:
            # known only by name and email (an attendee needs a contact, a user or an email)
            name, email, _, _ = deal.legacy_contact
            if email and EMAIL_RE.match(email):
                self.emit("meeting_attendees", (new_id(), meeting.id, NULL, NULL, text(name), text(email), "t",
                                                "attendee", created, created))
            return [], 0
        if not (c >= 0 and self.c_contacts[c]):
            return [], 0
        external, roles = self._external_attendees(deal, c, contact, mtype)
        present = 0
        for idx in external:
            if idx in roles:
                present += 1
            self.emit("meeting_attendees", (
                new_id(), meeting.id, self.ct_id[idx], NULL, text(self.ct_first[idx] + " " + self.ct_last[idx]),
                text(self.ct_email[idx]), "t", roles.get(idx, "attendee"), created, created))
        return external, present

    def _external_attendees(self, deal: Deal | None, c: int, contact: int, mtype: str
                            ) -> tuple[list[int], dict[int, str]]:
        """The contacts at the meeting: the primary contact, some of the deal's stakeholders, and others
        at the company; with the stakeholders' roles."""
        rnd = self.rnd
        wanted = 1 + int(rnd() * 2) + (1 if mtype in ("stakeholder_alignment", "decision_maker_meeting") else 0)
        external: list[int] = []
        roles: dict[int, str] = {}
        if contact >= 0:
            external.append(contact)
        if deal is not None:
            for idx, role, _ in deal.stakeholders:
                roles[idx] = role
                if idx not in external and len(external) < wanted and rnd() < 0.6:
                    external.append(idx)
        pool = self.c_contacts[c]
        for _ in range(3):
            if len(external) >= min(wanted, len(pool)):
                break
            idx = pool[int(rnd() * len(pool))]
            if idx not in external:
                external.append(idx)
        return external, roles

    def _action_items(self, meeting: _Meeting, ctx: dict) -> bool:
        """Action items of a held meeting, half of them turned into (auto-generated) tasks; True if any
        task was created."""
        rnd, pick, ts = self.rnd, self.pick, self.ts
        outcome, ends, owner = meeting.outcome, meeting.ends, meeting.owner
        follow_up_created = False
        if not (outcome in HELD and (outcome != "negative" or rnd() < 0.3)):
            return False
        for _ in range(ACTION_ITEM_COUNT.pick(rnd())):
            template, task_type = pick(P.ACTION_ITEMS)
            description = template.format_map(ctx)
            deadline_t = ends + int((2 + rnd() * 8) * DAY)
            done = rnd() < (0.8 if deadline_t < self.now else 0.1)
            priority = PRIORITY.pick(rnd())
            task_id = NULL
            if rnd() < 0.5:
                task_id = self.new_id()
                follow_up_created = True
                status = "completed" if done else ("in_progress" if rnd() < 0.3 else "pending")
                completed = NULL
                if done:
                    completed = ts(clamp_int(ends + int(rnd() * (deadline_t - ends)), ends, self.now))
                self.emit("tasks", (
                    task_id, text(description), NULL, ts(deadline_t - 7 * HOUR), status, priority, task_type,
                    owner.id, owner.id, meeting.deal.id if meeting.deal else NULL, meeting.company_id,
                    meeting.contact_id, meeting.id, NULL, "0", "1", "t", completed,
                    ts(ends), completed if done else ts(ends), "1"))
                self.auto_tasks += 1
            self.emit("meeting_action_items", (
                self.new_id(), meeting.id, text(description), owner.id, priority, self.clock.date(deadline_t),
                boolean(done), task_id, ts(ends), ts(ends), "1"))
        return follow_up_created

    def _meeting_activity(self, meeting: _Meeting, title: str, summary: str | None, updated: str,
                          external: list[int]) -> None:
        """The meeting as an activity (calendar sync), linked both ways, and the attendees' interactions."""
        owner, outcome, comp_id = meeting.owner, meeting.outcome, meeting.company_id
        status = "completed" if outcome in HELD else outcome  # no_show / cancelled
        activity_id = self.new_id()
        at = self.ts(meeting.start)
        self.emit("activities", (
            activity_id, owner.id, "meeting", status, text(title[:300]), text(summary), at, NULL, "1",
            comp_id, meeting.contact_id, meeting.deal.id if meeting.deal else NULL, "calendar",
            at, updated, "1"))
        self.emit("activity_meetings", (activity_id, meeting.id, at))
        if meeting.company >= 0:
            self.emit("company_activities", (comp_id, activity_id, "1.00", "direct", at))
        self.meeting_activity_count += 1
        if outcome in HELD:
            self.count_stat(owner, 2, meeting.start)
            base = MEETING_ENGAGEMENT[outcome]
            for idx in external:
                self.emit("contact_interactions", (
                    self.new_id(), self.ct_id[idx], owner.id, NULL, meeting.id, "meeting", "outbound",
                    f"{clamp(base + self.gauss(0.0, 0.12), 0.0, 1.0):.2f}", at, NULL, at, at))

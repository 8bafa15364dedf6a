"""Demo phases: tasks with subtasks, the legacy activity rows, and the reps' monthly targets."""

from __future__ import annotations

import datetime as dt

from dashboard.demo import phrases as P
from dashboard.demo.base import GeneratorBase
from dashboard.demo.basics import LEGACY_TYPES, PRIORITY, TASK_TYPES, User, clamp_int, name_variant
from dashboard.demo.copytext import DAY, HOUR, NULL, text


class TaskPhases(GeneratorBase):
    """Tasks, legacy activities and targets: the phases that come after the activities."""

    def tasks(self) -> None:
        """To-dos around deals and accounts: overdue, due soon, done; ~12% with subtasks up to depth 4."""
        rnd, pick = self.rnd, self.pick
        remaining = self.scale.tasks - self.auto_tasks
        deals = self.deal_list
        open_deals = [d for d in deals if not d.closed]
        while remaining > 0:
            r = rnd()
            deal = None
            c = contact = -1
            if r < 0.6 and deals:
                deal = pick(open_deals) if open_deals and rnd() < 0.75 else pick(deals)
                owner, c = deal.owner, deal.company
                contact = deal.contact if rnd() < 0.5 else -1
                ctx = deal.ctx
                if deal.closed:
                    due = self.between(deal.created, deal.end)
                else:
                    due = self.now + int((rnd() * 60 - 30) * DAY)
                lo = deal.created
            else:
                c = self.company_weights.pick(rnd())
                owner = self.c_owner[c]
                pool = self.c_contacts[c]
                if pool and r > 0.88:
                    contact = pool[int(rnd() * len(pool))]
                ctx = self._company_ctx(c, contact)
                due = self.now + int((rnd() * 135 - 90) * DAY)
                lo = max(self.start, self.c_created[c])
            due = self.work_time(due, lo, self.now + 60 * DAY)
            created_by = owner.id if rnd() < 0.85 else (self.managers[owner.team].id if rnd() < 0.7 else self.admin.id)
            created = clamp_int(due - int((1 + rnd() * 20) * DAY), lo, self.now - HOUR)
            ttype = TASK_TYPES.pick(rnd())
            title = pick(P.TASK_TITLES[ttype]).format_map(ctx)
            ctx_ids = (deal.id if deal else NULL, self.c_id[c] if c >= 0 else NULL,
                       self.ct_id[contact] if contact >= 0 else NULL)
            status = self._task_status(due)
            task_id = self._write_task(title, ttype, owner, created_by, ctx_ids, due, created, status, NULL, 0, 1)
            remaining -= 1
            if rnd() < 0.12 and remaining > 0:
                remaining -= self._subtasks(task_id, owner, created_by, ctx_ids, due, created, status, 2, remaining)

    def _task_status(self, due: int) -> str:
        r = self.rnd()
        if due < self.now:
            return "completed" if r < 0.7 else "cancelled" if r < 0.75 else "in_progress" if r < 0.82 else "pending"
        return "pending" if r < 0.75 else "in_progress" if r < 0.95 else "completed"

    def _subtasks(self, parent: str, owner: User, created_by: str, ctx_ids: tuple, due: int, created: int,
                  parent_status: str, depth: int, budget: int) -> int:
        """Children of a task (2-4), some with children of their own; returns how many were written."""
        rnd = self.rnd
        written = 0
        for order in range(2 + int(rnd() * 3)):
            if written >= budget:
                break
            sub_created = clamp_int(created + int(rnd() * 2 * DAY), created, self.now - HOUR)
            sub_due = max(due - int(rnd() * 5 * DAY), sub_created + HOUR)
            if parent_status == "completed":
                status = "completed" if rnd() < 0.9 else "cancelled"
            elif parent_status == "cancelled":
                status = "cancelled"
            else:
                status = self._task_status(sub_due)
            task_id = self._write_task(self.pick(P.SUBTASK_TITLES), "general", owner, created_by, ctx_ids, sub_due,
                                       sub_created, status, parent, order, depth)
            written += 1
            if depth < 4 and rnd() < (0.25 if depth == 2 else 0.2):
                written += self._subtasks(task_id, owner, created_by, ctx_ids, sub_due, sub_created, status,
                                          depth + 1, budget - written)
        return written

    def _write_task(self, title: str, ttype: str, owner: User, created_by: str, ctx_ids: tuple, due: int,
                    created: int, status: str, parent: str, order: int, depth: int) -> str:
        rnd, ts = self.rnd, self.ts
        task_id = self.new_id()
        completed = NULL
        updated = ts(created)
        if status == "completed":
            done = clamp_int(created + int(rnd() * max(HOUR, min(due + 2 * DAY, self.now) - created)), created,
                             self.now)
            completed = updated = ts(done)
        description = text(self.pick(P.TASK_DESCRIPTIONS)) if rnd() < 0.3 else NULL
        self.emit("tasks", (
            task_id, text(title), description, ts(due), status, PRIORITY.pick(rnd()), ttype, owner.id, created_by,
            *ctx_ids, NULL, parent, str(order), str(depth), "f", completed, ts(created), updated, "1"))
        return task_id

    def legacy_activities(self) -> None:
        """Old-system activity rows that point at legacy deals by their legacy id (not yet migrated)."""
        rnd, pick = self.rnd, self.pick
        number = 0
        loaded = self.ts(self.now - 2 * DAY)
        for deal in self.deal_list:
            if not deal.legacy_id:
                continue
            name, email, phone, _ = deal.legacy_contact
            for _ in range(int(rnd() * 5)):
                number += 1
                atype = pick(LEGACY_TYPES)
                t = self.work_time(self.between(deal.created, deal.end), deal.created, deal.end)
                identifier = email if email and rnd() < 0.6 else phone if phone and rnd() < 0.5 else name
                mood = self.mood(deal.tone)
                details = self.note(mood, deal.ctx, next_step=0.2)
                when = dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M")
                self.emit("legacy_activities", (
                    self.new_id(), f"LA-{number:06d}", deal.owner.email, atype, "completed",
                    text(name_variant(deal.legacy_company, rnd, pick)), text(identifier), text(details), when,
                    NULL, deal.legacy_id, "demo", loaded))
            if deal.won and rnd() < 0.7:
                number += 1
                when = dt.datetime.fromtimestamp(deal.end + HOUR, dt.UTC).strftime("%Y-%m-%d %H:%M")
                self.emit("legacy_activities", (
                    self.new_id(), f"LA-{number:06d}", deal.owner.email, "sale", "completed",
                    text(deal.legacy_company), text(name), "Order signed.", when, f"{deal.value:.2f}",
                    deal.legacy_id, "demo", loaded))

    def targets(self) -> None:
        """Monthly targets for the three months up to as_of, near what each rep did lately (some beat
        them, some miss)."""
        rnd, ts = self.rnd, self.ts
        months = []
        day = self.now
        for _ in range(3):
            first = self.clock.month_start(day)
            months.append(first)
            day = int(dt.datetime.fromisoformat(first).replace(tzinfo=dt.UTC).timestamp()) - DAY
        months.reverse()
        created = ts(self.now - 100 * DAY)
        for rep in self.reps:
            revenue, outbound, meetings, proposals = (x / 3.0 for x in self.rep_stats[rep.id])
            for month in months:
                f = 0.9 + rnd() * 0.4
                self.emit("targets", (
                    self.new_id(), rep.id, month, f"{max(5_000.0, round(revenue * f, -3)):.2f}",
                    str(max(5, round(outbound * f))), str(max(2, round(meetings * f))),
                    str(max(1, round(proposals * f))), created, created, "1"))

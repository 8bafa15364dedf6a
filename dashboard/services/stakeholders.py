"""A deal's stakeholder map: the org chart everyone who sees the deal may read (geometry below), the
checks on "reports to" links (only to someone on the map, never to oneself, never round in a circle),
and saving the whole map in one transaction."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm.attributes import flag_modified

from dashboard import vocabulary
from dashboard.db import db
from dashboard.forms.common import CHOICE_LIMIT
from dashboard.models import Contact, Deal, DealStakeholder
from dashboard.services.deals import rescore_deal

ROLES = list(vocabulary.STAKEHOLDER_ROLES)
INFLUENCE = list(vocabulary.INFLUENCE_LEVELS)
ROW_FIELDS = ("role", "influence_level", "relationship_strength", "is_champion", "notes")
BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 210, 70, 24, 48, 12


def full_name(contact: Contact) -> str:
    return f"{contact.first_name} {contact.last_name}".strip()


def reports_to(deal: Deal) -> dict[str, str]:
    """The stored "reports to" links (contact id -> manager's contact id)."""
    links = (deal.stakeholder_mapping or {}).get("reports_to") or {}
    return {str(k): str(v) for k, v in links.items()} if isinstance(links, dict) else {}


def org_chart(people: list[dict], links: dict[str, str]) -> dict:
    """Boxes and connectors of a top-down org chart (a forest): each leaf takes the next column,
    a manager sits centred over their reports.

    ``people`` are dicts with an ``id``; links to someone not on the chart,
    self-links and cycles (never saved, but tolerated) draw as separate roots.
    """
    ids = [p["id"] for p in people]
    parent = {c: m for c, m in links.items() if c in ids and m in ids and c != m}
    children = {i: [c for c in ids if parent.get(c) == i] for i in ids}
    column, depth = {}, {}
    leaves = iter(range(len(ids)))

    def place(node: str, level: int) -> float:
        depth[node] = level  # placed: a cycle cannot bring us back here
        xs = [place(k, level + 1) for k in children[node] if k not in depth]
        column[node] = (xs[0] + xs[-1]) / 2 if xs else float(next(leaves))
        return column[node]

    for node in [i for i in ids if i not in parent] + ids:
        if node not in depth:
            place(node, 0)
    left = {i: PAD + column[i] * (BOX_W + GAP_X) for i in ids}
    top = {i: PAD + depth[i] * (BOX_H + GAP_Y) for i in ids}
    boxes = [dict(p, x=left[p["id"]], y=top[p["id"]]) for p in people]
    lines = [dict(x1=left[m] + BOX_W / 2, y1=top[m] + BOX_H, x2=left[c] + BOX_W / 2, y2=top[c],
                  mid=top[c] - GAP_Y / 2) for c, m in parent.items() if depth[c] == depth[m] + 1]  # fmt: skip
    width = max([left[i] + BOX_W for i in ids], default=BOX_W) + PAD
    height = max([top[i] + BOX_H for i in ids], default=BOX_H) + PAD
    return {"boxes": boxes, "lines": lines, "width": width, "height": height, "box_w": BOX_W, "box_h": BOX_H}


def map_view(deal: Deal, rows) -> dict:
    """What the map page draws: the org chart, the names, and each stakeholder's manager's name."""
    people = [{"id": str(s.contact_id), "name": full_name(c), "title": c.title, "role": s.role,
               "influence": s.influence_level, "champion": s.is_champion} for s, c in rows]  # fmt: skip
    names = {p["id"]: p["name"] for p in people}
    links = reports_to(deal)
    return {"chart": org_chart(people, links), "names": names,
            "manager_names": {c: names.get(m) for c, m in links.items()}}  # fmt: skip


def may_join(deal: Deal):
    """Contacts that may join the map: at the deal's company, or owned by the deal's owner."""
    at_company = and_(Contact.company_id.is_not(None), Contact.company_id == deal.company_id)
    return or_(Contact.owner_id == deal.owner_id, at_company)


def candidate_contacts(deal: Deal, exclude: set[str]) -> list[tuple[str, str]]:
    """(id, name) of the contacts that may join the map, but those in ``exclude``."""
    label = func.concat_ws(" ", Contact.first_name, Contact.last_name)
    rows = db.session.execute(select(Contact.id, label).where(may_join(deal)).order_by(label).limit(CHOICE_LIMIT))
    return [(str(i), name) for i, name in rows if str(i) not in exclude]


def may_add(deal: Deal, contact_id: str) -> bool:
    """``contact_id`` (as posted) names a contact that may join the deal's map."""
    try:
        parsed = uuid.UUID(contact_id)
    except ValueError:
        return False
    return str(parsed) == contact_id and bool(
        db.session.scalar(select(Contact.id).where(Contact.id == parsed, may_join(deal)))
    )


def link_problems(members: set[str], links: dict[str, str], names: dict[str, str]) -> list[tuple[str, str]]:
    """(contact id, message) for each link to an outsider or to oneself; when there are none, for each
    circle of links (reported once, at its first member). Empty when the links may be saved."""
    problems = []
    for cid, manager in links.items():
        if manager == cid:
            problems.append((cid, "A stakeholder cannot report to themselves."))
        elif manager not in members:
            problems.append((cid, "Choose someone who is on this deal's map."))
    if problems:
        return problems
    in_cycles: set[str] = set()
    for start in links:
        path, node = [start], links[start]
        while node in links and node not in path:
            path.append(node)
            node = links[node]
        if node == start and start not in in_cycles:
            in_cycles.update(path)
            circle = " → ".join(names.get(n, n) for n in [*path, start])
            problems.append((start, f"These links go round in a circle: {circle}."))
    return problems


def map_written(step: str) -> None:
    """Called after each write of a map save; tests inject failures here (SECURITY.md T21)."""


def write_map(deal: Deal, changes: list[tuple[DealStakeholder | None, dict]], links: dict[str, str]) -> None:
    """Write the stakeholder rows and ``deals.stakeholder_mapping``, and rescore, in the caller's
    transaction (saving.save commits it: all or nothing).

    ``changes``: (existing row or None for a new one, values: ``contact_id``, ``remove`` and ROW_FIELDS).
    """
    for stakeholder, values in changes:
        if stakeholder is None:
            stakeholder = DealStakeholder(deal_id=deal.id, contact_id=uuid.UUID(values["contact_id"]))
            db.session.add(stakeholder)
        elif values["remove"]:
            db.session.delete(stakeholder)
            db.session.flush()
            map_written(f"remove {stakeholder.contact_id}")
            continue
        for name in ROW_FIELDS:
            setattr(stakeholder, name, values[name] if values[name] != "" else None)
        stakeholder.is_champion = bool(values["is_champion"])
        db.session.flush()
        map_written(f"save {stakeholder.contact_id}")
    deal.stakeholder_mapping = {"reports_to": links}
    flag_modified(deal, "stakeholder_mapping")  # always bumps the deal's version: concurrent map saves get 409
    db.session.flush()
    map_written("mapping")
    # the deal's stakeholder part and contact quality; each changed contact's role (and their other deals)
    rescore_deal(deal, contact_ids=[uuid.UUID(values["contact_id"]) for _, values in changes])

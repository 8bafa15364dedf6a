"""What a legacy import did: the :class:`Report` (counts, problems, coverage) the CLI prints and the
run record stores, and the deal coverage it measures before and after writing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from dashboard.legacy.rows import Problem

MAX_STORED_PROBLEMS = 10_000  # the run record keeps this many problems (all are counted)


@dataclass
class Report:
    """Counts per kind of row (``read = written + invalid + unchanged + held_back``), what was
    created or matched, the coverage before and after, and every problem found."""

    rows_read: int = 0
    rows_written: int = 0
    rows_invalid: int = 0
    rows_unchanged: int = 0
    rows_held_back: int = 0
    activities_read: int = 0
    activities_written: int = 0
    activities_invalid: int = 0
    activities_unchanged: int = 0
    activities_held_back: int = 0
    companies_created: int = 0
    companies_matched: int = 0
    contacts_created: int = 0
    contacts_matched: int = 0
    deals_created: int = 0
    deals_linked: int = 0
    stakeholders_created: int = 0
    meetings_linked: int = 0
    queued_for_review: int = 0
    coverage_before: dict = field(default_factory=dict)
    coverage_after: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    run_id: str | None = None

    def as_dict(self, max_problems: int | None = None) -> dict:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems[:max_problems]]
        data["problems_total"] = len(self.problems)
        return data

    def summary_lines(self) -> list[str]:
        cb, ca = self.coverage_before, self.coverage_after
        state = "dry run, nothing written" if self.dry_run else ("committed" if self.committed else "nothing written")
        return [
            f"deals: {self.rows_read} read, {self.rows_written} written, {self.rows_invalid} invalid, "
            f"{self.rows_unchanged} already imported, {self.rows_held_back} held back ({state})",
            f"activities: {self.activities_read} read, {self.activities_written} written, "
            f"{self.activities_invalid} invalid, {self.activities_unchanged} already imported, "
            f"{self.activities_held_back} held back",
            f"companies: {self.companies_created} created, {self.companies_matched} matched; "
            f"contacts: {self.contacts_created} created, {self.contacts_matched} matched",
            f"deals: {self.deals_created} created, {self.deals_linked} linked to a company; "
            f"{self.stakeholders_created} stakeholders, {self.meetings_linked} meetings linked; "
            f"{self.queued_for_review} queued for review",
            f"coverage (deals with a company / with a contact): before {_pct(cb, 'company_pct')} / "
            f"{_pct(cb, 'contact_pct')}, after {_pct(ca, 'company_pct')} / {_pct(ca, 'contact_pct')}",
        ]


def _pct(coverage: dict, key: str) -> str:
    return "—" if coverage.get(key) is None else f"{coverage[key]}%"


def coverage(conn) -> dict:
    """How many deals have a company and a primary contact, overall and among the legacy deals."""
    total, with_company, with_contact = conn.execute(
        "select count(*), count(company_id), count(primary_contact_id) from crm.deals"
    ).fetchone()
    legacy_total, legacy_linked = conn.execute(
        """select count(*), count(*) filter (where d.company_id is not null and d.primary_contact_id is not null)
           from crm.legacy_deals l join crm.deals d on d.id = l.deal_id"""
    ).fetchone()

    def pct(part, whole):
        return round(100.0 * part / whole, 1) if whole else None  # no deals: no coverage to speak of

    return {
        "deals": total, "with_company": with_company, "with_contact": with_contact,
        "company_pct": pct(with_company, total), "contact_pct": pct(with_contact, total),
        "legacy_deals": legacy_total, "legacy_linked": legacy_linked, "legacy_pct": pct(legacy_linked, legacy_total),
    }  # fmt: skip

"""What each entity imports, which file headers mean which field, and how values are read.

Headers are compared without case, spaces or punctuation (``"Organization - Name"`` is
``organizationname``), against our own export's headers and the usual exports of HubSpot, Salesforce and
Pipedrive. Dates: ISO (``2026-03-01``, with or without a time), US ``m/d/Y`` (``3/1/2026``; a first part
over 12 is read as ``d/m/Y``) and ``d.m.Y`` (``01.03.2026``). Money: currency signs and codes are dropped,
the last of ``.`` and ``,`` is the decimal mark when both appear, a lone ``,`` before exactly three digits
is a thousands separator (``1,234``), any other lone ``,`` is decimal (``1234,5``). Stages: our own
names, then the other CRMs' stage names by meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from dashboard import vocabulary


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    headers: tuple[str, ...]  # normalised header spellings that auto-match
    kind: str = "text"  # text, email, domain, url, date, money, integer, stage, choice, forecast
    max_length: int | None = None
    required: bool = False


def key(header: str) -> str:
    """A header as compared: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _f(name, label, headers, kind="text", max_length=None, required=False) -> Field:
    return Field(name, label, tuple(key(h) for h in headers), kind, max_length, required)


COMPANY_NAME = ("company", "company name", "account name", "account", "organization", "organisation",
                "organization name", "organization - name", "deal - organization", "person - organization",
                "associated company", "org name")  # fmt: skip

FIELDS: dict[str, list[Field]] = {
    "companies": [
        _f("name", "Name", ("name", *COMPANY_NAME), max_length=200, required=True),
        _f("domain", "Domain", ("domain", "company domain name", "domain name", "website domain"), "domain"),
        _f("website", "Website", ("website", "website url", "web site", "organization - website", "url"), "url"),
        _f("industry", "Industry", ("industry", "organization - industry"), max_length=100),
        _f("phone", "Phone", ("phone", "phone number", "account phone", "company phone", "organization - phone"),
           max_length=50),
        _f("address", "Address", ("address", "street address", "billing street", "billing address",
                                  "organization - address", "full address"), max_length=500),
        _f("description", "Description", ("description", "about", "account description", "notes"), max_length=5000),
        _f("employee_count", "Employees", ("employees", "number of employees", "employee count",
                                           "organization - number of employees"), "integer"),
        _f("annual_revenue", "Annual revenue", ("annual revenue", "revenue"), "integer"),
        _f("account_tier", "Tier", ("tier", "account tier"), "choice"),
        _f("size", "Size", ("size", "company size"), "choice"),
    ],
    "contacts": [
        _f("first_name", "First name", ("first name", "firstname", "given name", "person - first name"),
           max_length=100),
        _f("last_name", "Last name", ("last name", "lastname", "surname", "family name", "person - last name"),
           max_length=100),
        _f("full_name", "Full name (split into first and last)",
           ("name", "full name", "contact name", "person - name", "person name", "contact")),
        _f("email", "Email", ("email", "email address", "e-mail", "e-mail address", "person - email",
                              "email - work", "person - email - work", "primary email", "work email"), "email"),
        _f("phone", "Phone", ("phone", "phone number", "mobile", "mobile phone", "mobile phone number",
                              "person - phone", "phone - work", "person - phone - work", "work phone"),
           max_length=50),
        _f("title", "Job title", ("job title", "title", "position", "person - job title"), max_length=200),
        _f("job_seniority", "Seniority", ("seniority", "job seniority"), "choice"),
        _f("company", "Company", COMPANY_NAME, max_length=200),
    ],
    "deals": [
        _f("name", "Name", ("name", "deal name", "opportunity name", "deal - title", "title", "deal title",
                            "opportunity"), max_length=200, required=True),
        _f("value", "Value", ("value", "amount", "deal value", "deal - value", "deal amount", "opportunity amount"),
           "money"),
        _f("stage", "Stage", ("stage", "deal stage", "deal - stage", "pipeline stage", "stage name"), "stage"),
        _f("expected_close_date", "Close date", ("close date", "expected close date", "deal - expected close date",
                                                 "closing date", "closed date", "close"), "date"),
        _f("status", "Status (open, won, lost)", ("status", "deal - status"), "text"),
        _f("forecast_category", "Forecast category (pipeline, best case, commit)",
           ("forecast category", "forecast", "deal - forecast category", "forecast type"), "forecast"),
        _f("lost_reason", "Lost reason", ("lost reason", "deal - lost reason", "closed lost reason", "loss reason",
                                          "reason lost"), "text", max_length=80),
        _f("company", "Company", COMPANY_NAME, max_length=200),
        _f("contact_email", "Primary contact email", ("primary contact email", "contact email", "email",
                                                      "person - email", "deal - contact person email"), "email"),
    ],
}  # fmt: skip
CHOICES = {"account_tier": vocabulary.ACCOUNT_TIERS, "size": vocabulary.COMPANY_SIZES,
           "job_seniority": vocabulary.SENIORITIES}  # fmt: skip


def field_names(entity: str) -> list[str]:
    return [f.name for f in FIELDS[entity]]


def auto_match(entity: str, headers: list[str]) -> dict[str, str]:
    """{header: field} for the headers that mean a field; each field is matched once (the first header)."""
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for header in headers:
        for candidate in FIELDS[entity]:
            if candidate.name not in taken and key(header) in candidate.headers:
                mapping[header] = candidate.name
                taken.add(candidate.name)
                break
    return mapping


def clean_mapping(entity: str, headers: list[str], mapping: dict) -> dict[str, str]:
    """The mapping restricted to this file's headers and this entity's fields (each field once)."""
    names, used, kept = set(field_names(entity)), set(), {}
    for header, name in mapping.items():
        if header in headers and name in names and name not in used:
            kept[header] = name
            used.add(name)
    return kept


def missing_required(entity: str, mapping: dict) -> str | None:
    """What the mapping lacks for every row to have a name, or None."""
    mapped = set(mapping.values())
    if entity == "contacts" and not mapped & {"first_name", "full_name"}:
        return "Map a column to First name or Full name: a contact needs a name."
    if entity in ("companies", "deals") and "name" not in mapped:
        return "Map a column to Name: every row needs one."
    return None


# --- values ---------------------------------------------------------------------------------------

ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
SLASH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?: .*)?")
DOT_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?: .*)?")
DAY_HINT = "a date like 2026-03-31, 3/31/2026 or 31.03.2026"


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def parse_date(text: str) -> date:
    """A day in ISO, US m/d/Y (d/m/Y when the first part is over 12) or d.m.Y; ValueError otherwise."""
    if match := ISO_DAY.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := SLASH_DAY.fullmatch(text):
        month, day, year = int(match[1]), int(match[2]), _year(match[3])
        if month > 12:
            month, day = day, month
    elif match := DOT_DAY.fullmatch(text):
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
    else:
        raise ValueError(f"not {DAY_HINT}")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"{text} is not a day of the calendar") from None
    if not 1900 <= parsed.year <= 2999:
        raise ValueError("the year must be from 1900 to 2999")
    return parsed


CURRENCY_SIGNS = re.compile(r"[$€£¥₹\s\u00a0'’]")
CURRENCY_CODE = re.compile(r"^[A-Za-z]{3}|[A-Za-z]{3}$")  # EUR 1234, 1234 USD
MAX_MONEY = Decimal("999999999999.99")


def parse_money(text: str) -> Decimal:
    """An amount without its currency: "$1,234.50", "1.234,50 €", "EUR 1234" -> 1234.50, 1234.50, 1234."""
    number = CURRENCY_SIGNS.sub("", CURRENCY_CODE.sub("", text.strip()))
    if not re.fullmatch(r"-?[0-9][0-9.,]*", number):
        raise ValueError("not an amount like 1234.50, $1,234.50 or 1.234,50 €")
    if "." in number and "," in number:
        decimal_mark = "." if number.rfind(".") > number.rfind(",") else ","
    elif number.count(",") == 1:
        decimal_mark = "," if not re.search(r",\d{3}$", number) else "."
    elif number.count(".") > 1:
        decimal_mark = ","  # 1.234.567: thousands
    else:
        decimal_mark = "."
    thousands = "," if decimal_mark == "." else "."
    number = number.replace(thousands, "").replace(decimal_mark, ".")
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise ValueError("not an amount like 1234.50, $1,234.50 or 1.234,50 €") from None
    if amount < 0:
        raise ValueError("the amount cannot be negative")
    if amount > MAX_MONEY:
        raise ValueError("the amount is too large")
    return amount.quantize(Decimal("0.01"))


# other CRMs' stage names (normalised) -> ours by meaning; "won"/"lost" mean the won and lost stages
STAGE_SYNONYMS = {
    "lead": ("lead", "leadin", "new", "prospecting", "appointmentscheduled", "prospect"),
    "qualified": ("qualified", "qualification", "qualifiedtobuy", "contactmade", "needsanalysis", "discovery"),
    "opportunity": ("opportunity", "presentationscheduled", "valueproposition", "iddecisionmakers",
                    "perceptionanalysis", "demoscheduled", "needsdefined", "decisionmakerboughtin",
                    "proposalmade", "proposal", "proposalpricequote"),  # fmt: skip
    "verbal": ("verbal", "contractsent", "negotiationreview", "negotiation", "negotiationsstarted", "commit"),
    "won": ("won", "closedwon", "dealwon", "closedwonstage"),
    "lost": ("lost", "closedlost", "deallost"),
}


def stage_lookup(stages: list[tuple]) -> dict[str, object]:
    """{normalised name: stage id} from (id, name, is_won, is_lost) rows: our names first, then synonyms."""
    by_name = {key(name): sid for sid, name, _, _ in stages}
    lookup = dict(by_name)
    won = next((sid for sid, _, is_won, _ in stages if is_won), None)
    lost = next((sid for sid, _, _, is_lost in stages if is_lost), None)
    for ours, spellings in STAGE_SYNONYMS.items():
        target = won if ours == "won" else lost if ours == "lost" else by_name.get(ours)
        for spelling in spellings:
            if target is not None:
                lookup.setdefault(spelling, target)
    return lookup


DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def domain_of(text: str) -> str:
    """A domain from "https://www.acme.com/about", "www.acme.com" or "acme.com" -> "acme.com"."""
    host = re.sub(r"^[a-z]+://", "", text.strip().lower()).split("/")[0].split(":")[0]
    host = host.removeprefix("www.")
    if not DOMAIN.fullmatch(host):
        raise ValueError("not a domain like example.com")
    return host


# a closed deal's category (ours, Salesforce's "Closed", HubSpot's "Omit"...) follows its stage: not imported
CLOSED_FORECASTS = {"closedwon", "closedlost", "closed", "won", "lost", "omitted", "omit", "notforecasted"}


def parse_forecast(text: str) -> str | None:
    """A forecast category (pipeline, best case, commit; any case, spaces or underscores), or None for a
    closed one (the deal's stage decides it); ValueError otherwise."""
    value = key(text)
    if value in CLOSED_FORECASTS:
        return None
    named = {key(c): c for c in vocabulary.FORECAST_CATEGORIES}
    if value not in named:
        raise ValueError("not a forecast category: pipeline, best case or commit")
    return named[value]


def parse_value(spec: Field, text: str):
    """``text`` (trimmed, not empty) as the field's value; ValueError with the reason otherwise."""
    kind = spec.kind
    if kind == "date":
        return parse_date(text)
    if kind == "money":
        return parse_money(text)
    if kind == "domain":
        return domain_of(text)
    if kind == "email":
        if not EMAIL.fullmatch(text) or len(text) > 254:
            raise ValueError("not an email address like name@example.com")
        return text.lower()
    if kind == "url":
        return text if re.match(r"^https?://", text, re.I) else f"https://{text}"
    if kind == "integer":
        amount = parse_money(text)
        if amount != amount.to_integral_value() or amount > 10**15:
            raise ValueError("not a whole number")
        return int(amount)
    if kind == "forecast":
        return parse_forecast(text)
    if kind == "choice":
        value = text.strip().lower().replace("_", "-")
        allowed = CHOICES[spec.name]
        if value not in allowed:
            raise ValueError(f"not one of {', '.join(allowed)}")
        return value
    if spec.max_length and len(text) > spec.max_length:
        raise ValueError(f"longer than {spec.max_length} characters")
    return text

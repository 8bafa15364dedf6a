"""People's names: ``"Smith, John A."``, ``"JOHN SMITH"``, ``"Dr. John Smith Jr."`` and ``"John Adam Smith"`` are
all ``"john smith"``: order (a comma means ``Last, First``), case, accents, titles, suffixes and middle names
or initials set aside. A first name given only as an initial is kept (``"J. Smith"`` is ``"j smith"``)."""

from __future__ import annotations

import functools

from rapidfuzz import fuzz

from dashboard.matching.emails import email_key
from dashboard.matching.result import DIFFERENT, SAME, UNCERTAIN, Match
from dashboard.matching.text import clean, fold, typo_allowance, typo_distance, words
from dashboard.matching.words import PERSON_SUFFIXES, PERSON_TITLES


def _ordered(text: str) -> str:
    """``"Smith, John"`` -> ``"John Smith"``; a comma before a suffix (``"John Smith, Jr."``) is not an order."""
    if "," not in text:
        return text
    last, _, first = text.partition(",")
    if {w for w in words(fold(first))} <= PERSON_SUFFIXES:
        return f"{last} {first}"
    return f"{first.strip()} {last.strip()}"


@functools.lru_cache(maxsize=65536)
def person_parts(name: str | None) -> tuple[str, str]:
    """(first, last) as keys: folded, without titles, suffixes or middle names; ("", "") for no name."""
    text = _ordered(clean(name).replace("-", ""))
    tokens = words(fold(text))
    while len(tokens) > 1 and tokens[0] in PERSON_TITLES:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in PERSON_SUFFIXES:
        tokens = tokens[:-1]
    if not tokens:
        return "", ""
    if len(tokens) == 1:
        return tokens[0], ""
    return tokens[0], tokens[-1]


def person_key(name: str | None) -> str:
    """One key for the spellings of one person's name: ``"Smith, John A."`` -> ``"john smith"``."""
    return " ".join(p for p in person_parts(name) if p)


def display_name(name: str | None) -> tuple[str, str]:
    """(first, last) to store for a new contact: ``"Smith, John A."`` -> ``("John A.", "Smith")``; names typed
    all upper or lower case are title-cased; a single word is a first name."""
    text = clean(_ordered(clean(name)))
    if text.isupper() or text.islower():
        text = " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
    parts = text.split(" ")
    if len(parts) > 1 and fold(parts[-1]).strip(".") in PERSON_SUFFIXES:
        parts = parts[:-1]
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


def _name_relation(a: str, b: str) -> str:
    if a == b:
        return "equal"
    edits = typo_distance(a, b)
    return "typo" if 0 < edits <= typo_allowance(a, b) and a[0] == b[0] else "other"


def compare_person_names(a: str | None, b: str | None) -> Match:
    """Two people by name alone (within one company: a name is only unique there)."""
    (fa, la), (fb, lb) = person_parts(a), person_parts(b)
    if not fa or not fb:
        return Match(DIFFERENT, 0.0, ("a name is missing",))
    ratio = fuzz.ratio(f"{fa} {la}", f"{fb} {lb}") / 100
    if (fa, la) == (fb, lb):
        return Match(SAME, 1.0, ("same name once order, case, accents and middle initials are set aside",))
    if (fa, la) == (lb, fb) and la:
        return Match(SAME, 0.95, ("first and last name in the other order",))
    if not la or not lb:
        return Match(UNCERTAIN if fa == fb else DIFFERENT, round(0.6 * ratio, 3), ("only one name has a last name",))
    first, last = _name_relation(fa, fb), _name_relation(la, lb)
    if "other" not in (first, last) and "equal" in (first, last):
        which = "first" if first == "typo" else "last"
        return Match(SAME, round(0.85 + 0.1 * ratio, 3), (f"{which} names differ by a typo",))
    if last == "equal" and (len(fa) == 1 or len(fb) == 1) and fa[0] == fb[0]:
        return Match(UNCERTAIN, 0.8, ("same last name; one first name is only an initial",))
    if last in ("equal", "typo") and first == "typo":
        return Match(UNCERTAIN, round(0.8 * ratio, 3), ("first and last names both differ by a typo",))
    if last == "equal" and fuzz.ratio(fa, fb) >= 75:
        return Match(UNCERTAIN, round(0.8 * ratio, 3), ("same last name; first names alike",))
    return Match(DIFFERENT, round(0.5 * ratio, 3), ("different names",))


def compare_people(a_name: str | None, b_name: str | None, a_email: str | None = None,
                   b_email: str | None = None) -> Match:  # fmt: skip
    """Two contacts: the same mailbox (``email_key``) is the same person; two different mailboxes are two
    people unless the names match (then only could be); otherwise by name."""
    ka, kb = email_key(a_email), email_key(b_email)
    if ka and kb and ka == kb:
        return Match(SAME, 1.0, ("same email address (case, +tag and mail subdomain aside)",))
    names = compare_person_names(a_name, b_name)
    if ka and kb:
        if names.same:
            return Match(UNCERTAIN, round(0.8 * names.score, 3), (*names.reasons, "different email addresses"))
        return Match(DIFFERENT, round(0.5 * names.score, 3), ("different email addresses", *names.reasons))
    return names

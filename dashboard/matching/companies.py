"""Company names: a key that sets aside how a name was typed, and a comparison that tolerates typos but
never takes two names that differ in a word for one company.

``company_tokens("The ACME Int'l Co.")`` -> ``("acme", "international")``: case, accents, punctuation,
``&``/``and``, a leading article, abbreviations (``Intl``, ``Corp``, ``Mfg``...), plurals and trailing legal
forms (``Inc``, ``Ltd``, ``GmbH``, ``LLC``, ``Co.``...) set aside; letters typed as initials (``I.B.M.``) joined.

Two names are compared word by word (:func:`compare_company_names`): the same words are the same company;
words that differ by a slip (one edit up to 8 letters, two from 9; a swap of neighbours is one edit) are the
same company too, unless both are common words (``Foods``/``Goods``) or the slip would be a changed first
letter or a changed letter of a short word (``Bolt``/``Volt``): those only *could* be (uncertain). A word one
name has and the other has not, or two different words (``Acme Logistics`` / ``Acme Financial``), make two
companies.
"""

from __future__ import annotations

import functools

from rapidfuzz import fuzz

from dashboard.matching.emails import org_domain
from dashboard.matching.result import DIFFERENT, SAME, UNCERTAIN, Match
from dashboard.matching.text import fold, typo_allowance, typo_distance, words
from dashboard.matching.words import ABBREVIATIONS, ARTICLES, COMMON_WORDS, LEGAL_FORMS

EQUAL, TYPO, MAYBE, OTHER = "equal", "typo", "maybe", "other"
SIMILAR_WORD = 75  # rapidfuzz ratio from which two words that are not a slip of each other may still be one


def singular(token: str) -> str:
    """``industries`` -> ``industry``, ``systems`` -> ``system``; words under 4 letters and ``-ss`` stay."""
    if len(token) < 4 or token.endswith("ss") or not token.endswith("s"):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    return token[:-1]


def canonical(token: str) -> str:
    """A token in the one form keys use: abbreviations expanded, plurals folded."""
    return ABBREVIATIONS.get(token) or ABBREVIATIONS.get(singular(token)) or singular(token)


def _join_initials(tokens: list[str]) -> list[str]:
    """Runs of single letters become one token: ``i b m`` -> ``ibm`` (``I.B.M.``, ``J. P. Morgan``)."""
    out: list[str] = []
    run = ""
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        if token:
            out.append(token)
    return out


@functools.lru_cache(maxsize=65536)
def company_tokens(name: str | None) -> tuple[str, ...]:
    """The words of a company name that tell it apart (see the module docstring); () for no name."""
    text = fold(name).replace("&", " and ").replace("+", " and ")
    tokens = [canonical(t) for t in _join_initials(words(text))]
    while len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    while len(tokens) > 1 and (tokens[-1] in LEGAL_FORMS or tokens[-1] == "and"):
        tokens = tokens[:-1]
    return tuple(tokens)


def company_key(name: str | None) -> str:
    """The comparable form of a company name: ``"The Acme Co."``, ``"ACME Company"``, ``"Acme, Inc."`` -> ``"acme"``."""
    return " ".join(company_tokens(name))


def compact_key(name: str | None) -> str:
    """The key without spaces: ``"Blue Field"`` and ``"Bluefield"`` share ``"bluefield"``."""
    return "".join(company_tokens(name))


def word_relation(a: str, b: str) -> str:
    """How two words of two names relate: EQUAL, TYPO (a slip), MAYBE (alike, not surely one) or OTHER."""
    if a == b:
        return EQUAL
    if a in COMMON_WORDS and b in COMMON_WORDS:
        return OTHER
    edits, allowed = typo_distance(a, b), typo_allowance(a, b)
    if 0 < edits <= allowed:
        swapped_start = a[:2] == b[1::-1]
        substituted = len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
        if (a[0] == b[0] or swapped_start) and not (substituted and min(len(a), len(b)) < 6):
            return TYPO
        return MAYBE
    if min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= SIMILAR_WORD and not (a in COMMON_WORDS or b in COMMON_WORDS):
        return MAYBE
    return OTHER


def compare_tokens(a: tuple[str, ...], b: tuple[str, ...]) -> Match:
    """Compare two names' tokens (see the module docstring)."""
    if not a or not b:
        return Match(DIFFERENT, 0.0, ("a name is missing",))
    if a == b:
        return Match(SAME, 1.0, ("same name once case, punctuation, abbreviations and legal forms are set aside",))
    ratio = fuzz.ratio(" ".join(a), " ".join(b)) / 100
    if "".join(a) == "".join(b):
        return Match(SAME, 0.97, ("names differ only in spacing",))
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        extra = [t for t in longer if t not in shorter]
        return Match(DIFFERENT, round(0.5 * ratio, 3), (f"one name has a word the other has not ({' '.join(extra)})",))
    relations = [(x, y, word_relation(x, y)) for x, y in zip(a, b, strict=True)]
    others = [f"{x} / {y}" for x, y, r in relations if r == OTHER]
    if others:
        return Match(DIFFERENT, round(0.5 * ratio, 3), (f"names differ in a word ({', '.join(others)})",))
    maybes = [f"{x} / {y}" for x, y, r in relations if r == MAYBE]
    if maybes:
        return Match(UNCERTAIN, round(0.85 * ratio, 3), (f"names are alike but not surely one ({', '.join(maybes)})",))
    typos = [f"{x} / {y}" for x, y, r in relations if r == TYPO]
    return Match(SAME, round(0.9 + 0.08 * ratio, 3), (f"names differ by a typo ({', '.join(typos)})",))


def compare_company_names(a: str | None, b: str | None) -> Match:
    """Compare two company names as typed: ``"The Acme Co."`` and ``"Acme Company"`` are the same."""
    return compare_tokens(company_tokens(a), company_tokens(b))


def compare_companies(a_name: str | None, b_name: str | None, a_domain: str | None = None,
                      b_domain: str | None = None) -> Match:  # fmt: skip
    """Two companies, by name and (when both have one) domain: the same domain is the same company unless the
    names differ in a word; the same name under two domains only could be one company."""
    names = compare_company_names(a_name, b_name)
    da, db = org_domain(a_domain), org_domain(b_domain)
    if da and db and da == db:
        if names.verdict == DIFFERENT and a_name and b_name:
            return Match(UNCERTAIN, 0.8, ("same domain", *names.reasons))
        return Match(SAME, max(names.score, 0.99), ("same domain", *(names.reasons[:1] if names.same else ())))
    if da and db and names.verdict != DIFFERENT:
        return Match(UNCERTAIN, round(0.8 * names.score, 3), (*names.reasons, f"different domains ({da} / {db})"))
    return names

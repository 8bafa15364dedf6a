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
import re

from rapidfuzz import fuzz

from dashboard.matching.emails import org_domain
from dashboard.matching.result import DIFFERENT, SAME, UNCERTAIN, Match
from dashboard.matching.text import fold, typo_allowance, typo_distance, words
from dashboard.matching.words import ABBREVIATIONS, ARTICLES, COMMON_WORDS, LEGAL_FORMS

EQUAL, TYPO, MAYBE, OTHER = "equal", "typo", "maybe", "other"
SIMILAR_WORD = 75  # rapidfuzz ratio from which two words that are not a slip of each other may still be one


def _short_spellings() -> dict[str, tuple[str, ...]]:
    short: dict[str, list[str]] = {}
    for abbreviation, word in ABBREVIATIONS.items():
        if len(abbreviation) >= 5 and abbreviation != word:
            short.setdefault(word, []).append(abbreviation)
    return {word: tuple(found) for word, found in short.items()}


SPELLED_SHORT = _short_spellings()  # a word -> its abbreviations of 5 letters or more


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
def company_words(name: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tokens, raw): the words of a company name that tell it apart (see the module docstring), and the same
    words as typed (folded, not expanded or made singular), position by position; ((), ()) for no name."""
    raw = _join_initials(words(fold(name).replace("&", " and ").replace("+", " and ")))
    tokens = [canonical(t) for t in raw]
    start, end = 0, len(tokens)
    while end - start > 1 and tokens[start] in ARTICLES:
        start += 1
    while end - start > 1 and (tokens[end - 1] in LEGAL_FORMS or tokens[end - 1] == "and"
                                or _legal_slip(tokens[end - 1])):
        end -= 1
    return tuple(tokens[start:end]), tuple(raw[start:end])


def full_compact(name: str | None) -> str:
    """Every word as typed, legal forms and articles included, without spaces: ``"Albright Group"`` ->
    ``"albrightgroup"``, the name a company made from its domain (``albrightgroup.io``) carries."""
    return "".join(_join_initials(words(fold(name).replace("&", " and ").replace("+", " and "))))


def _legal_slip(token: str) -> bool:
    """A slip in a legal form of 5 letters or more (``Incorrporated``, ``Corporatoin``, ``Limted``, ``Grouup``) is
    still the legal form; a common word is not, nor a changed letter in a form under 7 letters (``Grout``)."""
    if len(token) < 4 or token in COMMON_WORDS:
        return False
    return any(len(form) >= 5 and form[0] == token[0] and typo_distance(token, form) == 1
               and (len(form) >= 7 or len(form) != len(token) or sorted(form) == sorted(token))
               for form in LEGAL_FORMS)  # fmt: skip


def company_tokens(name: str | None) -> tuple[str, ...]:
    """The words of a company name that tell it apart: ``"The ACME Int'l Co."`` -> ``("acme", "international")``."""
    return company_words(name)[0]


def company_key(name: str | None) -> str:
    """The comparable form of a company name: ``"The Acme Co."``, ``"ACME Company"``, ``"Acme, Inc."`` -> ``"acme"``."""
    return " ".join(company_tokens(name))


def compact_key(name: str | None) -> str:
    """The key without spaces: ``"Blue Field"`` and ``"Bluefield"`` share ``"bluefield"``."""
    return "".join(company_tokens(name))


def _slip(a: str, b: str, shortest_change: int = 6) -> str:
    """TYPO, MAYBE or OTHER for two different words, by edits alone; a changed letter is a slip only in words of
    ``shortest_change`` letters or more."""
    edits, allowed = typo_distance(a, b), typo_allowance(a, b)
    if 0 < edits <= allowed:
        swapped_start = a[:2] == b[1::-1]
        substituted = len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
        if (a[0] == b[0] or swapped_start) and not (substituted and min(len(a), len(b)) < shortest_change):
            return TYPO
        return MAYBE
    if min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= SIMILAR_WORD and not (a in COMMON_WORDS or b in COMMON_WORDS):
        return MAYBE
    return OTHER


def _spellings(token: str, raw: str | None) -> set[str]:
    """A token, as typed, and the longer abbreviations of it (``pharmaceutical``: ``pharma``, ``pharm``)."""
    return {token, raw or token, *SPELLED_SHORT.get(token, ())}


def word_relation(a: str, b: str, raw_a: str | None = None, raw_b: str | None = None, in_context: bool = False) -> str:
    """How two words of two names relate: EQUAL, TYPO (a slip), MAYBE (alike, not surely one) or OTHER.

    Two common words are two words. Otherwise the closest of their spellings decides (as typed, and the
    abbreviations of 5 letters or more), so a slip in ``Phaarma`` or ``Textlies`` is still a slip. A changed
    letter is a slip in words of 6 letters or more, or of 5 ``in_context`` (the names' other words are equal)."""
    shortest_change = 5 if in_context else 6
    if a == b:
        return EQUAL
    if a in COMMON_WORDS and b in COMMON_WORDS:
        return OTHER
    best = OTHER
    for x in _spellings(a, raw_a):
        for y in _spellings(b, raw_b):
            relation = TYPO if x == y else _slip(x, y, shortest_change)
            if relation == TYPO:
                return TYPO
            if relation == MAYBE:
                best = MAYBE
    return best


@functools.lru_cache(maxsize=262144)
def compare_tokens(a: tuple[str, ...], b: tuple[str, ...], raw_a: tuple[str, ...] | None = None,
                   raw_b: tuple[str, ...] | None = None) -> Match:  # fmt: skip
    """Compare two names' tokens (see the module docstring); ``raw_a``/``raw_b`` are the words as typed
    (``company_words``), which let a slip in an abbreviation or a plural, or a space typed one letter off, count."""
    if not a or not b:
        return Match(DIFFERENT, 0.0, ("a name is missing",))
    if a == b:
        return Match(SAME, 1.0, ("same name once case, punctuation, abbreviations and legal forms are set aside",))
    raw_a, raw_b = raw_a or a, raw_b or b
    ratio = fuzz.ratio(" ".join(a), " ".join(b)) / 100
    if "".join(a) == "".join(b) or "".join(raw_a) == "".join(raw_b):
        return Match(SAME, 0.97, ("names differ only in spacing",))
    vetoed = _vetoed(a, b)
    if len(a) == len(b):
        context = len(a) > 1 and any(x == y for x, y in zip(a, b, strict=True))
        relations = [(x, y, word_relation(x, y, rx, ry, context))
                     for x, y, rx, ry in zip(a, b, raw_a, raw_b, strict=True)]  # fmt: skip
        others = [f"{x} / {y}" for x, y, r in relations if r == OTHER]
        if not others:
            maybes = [f"{x} / {y}" for x, y, r in relations if r == MAYBE]
            if maybes:
                return Match(UNCERTAIN, round(0.85 * ratio, 3),
                             (f"names are alike but not surely one ({', '.join(maybes)})",))  # fmt: skip
            typos = [f"{x} / {y}" for x, y, r in relations if r == TYPO]
            return Match(SAME, round(0.9 + 0.08 * ratio, 3), (f"names differ by a typo ({', '.join(typos)})",))
        reason = f"names differ in a word ({', '.join(others)})"
    else:
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        reason = f"one name has a word the other has not ({' '.join(t for t in longer if t not in shorter)})"
    joined = None if vetoed else _joined_typo(raw_a, raw_b) or _joined_typo(a, b)
    return joined or Match(DIFFERENT, round(0.5 * ratio, 3), (reason,))


def _vetoed(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names of as many words where two common words differ (``Foods`` / ``Goods``): two companies, however
    close the letters."""
    if len(a) != len(b):
        return False
    return any(x != y and x in COMMON_WORDS and y in COMMON_WORDS for x, y in zip(a, b, strict=True))


def _common_words_intact(a: tuple[str, ...], b: tuple[str, ...], ja: str, jb: str) -> bool:
    """Every common word of each name appears as it is in the other's letters: a slip that falls in a common
    word makes another word (``"Acme Foods"`` / ``"AcmeGoods"``)."""
    return not any(canonical(t) in COMMON_WORDS and t not in jb for t in a) and not any(
        canonical(t) in COMMON_WORDS and t not in ja for t in b
    )


def _joined_typo(a: tuple[str, ...], b: tuple[str, ...]) -> Match | None:
    """Names typed with a space elsewhere and a slip (``"Larkspur Rbootics"`` / ``"Larkspurrobotics"``, a name
    made from a domain; ``"Meadowbroo kPharma"``): the same when the spaceless forms, as typed, are one slip
    apart; None otherwise."""
    ja, jb = "".join(a), "".join(b)
    if re.sub(r"\D", "", ja) != re.sub(r"\D", "", jb):
        return None  # another number: another name
    letters_a, letters_b = re.sub(r"\d", "", ja), re.sub(r"\d", "", jb)  # "DMT-7 Minig" / "Dmt7Mining"
    if min(len(ja), len(jb)) < 6 or typo_distance(ja, jb) > 1 or _slip(letters_a, letters_b) != TYPO:
        return None
    if not _common_words_intact(a, b, ja, jb):
        return None
    return Match(SAME, round(0.9 + 0.08 * fuzz.ratio(ja, jb) / 100, 3),
                 (f"names differ in spacing and a typo ({' '.join(a)} / {' '.join(b)})",))  # fmt: skip


def compare_company_names(a: str | None, b: str | None) -> Match:
    """Compare two company names as typed: ``"The Acme Co."`` and ``"Acme Company"`` are the same."""
    (a_tokens, a_raw), (b_tokens, b_raw) = company_words(a), company_words(b)
    match = compare_tokens(a_tokens, b_tokens, a_raw, b_raw)
    return with_full_names(match, full_compact(a), full_compact(b), a_tokens, b_tokens)


def with_full_names(match: Match, full_a: str, full_b: str, a: tuple[str, ...], b: tuple[str, ...]) -> Match:
    """``match``, or the same when the names with every word (legal forms too) and no spaces are equal or one
    slip apart: ``"Aabright Group"`` and ``"Albrightgroup"`` (a name made from ``albrightgroup.io``). Never
    when two common words differ (``Acme Foods`` / ``Acme Goods``)."""
    if match.same or not full_a or not full_b or _vetoed(a, b):
        return match
    if full_a == full_b:
        return Match(SAME, 0.97, ("names differ only in spacing",))
    if not _common_words_intact(a, b, full_a, full_b):
        return match
    return _joined_typo((full_a,), (full_b,)) or match


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

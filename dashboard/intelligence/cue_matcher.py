"""Finding the sales cues of :mod:`.sales_lexicon` in a note, fast.

All cues form one alternation (the first listed wins at a word), but trying some 300 alternatives
at every word of 2.7M notes is slow. So the alternatives are sorted by the characters they can
start with (read from the compiled pattern by :mod:`re`'s own parser) and each word is tried only
against the alternatives that can start with its first character: the same matches as the whole
alternation (an alternative that cannot start with the word's character cannot match there), about
four times faster. An alternative whose first character cannot be worked out is tried at every word.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from dashboard.intelligence import sales_lexicon as lex

try:  # CPython's regular-expression parser (private; without it every alternative is tried at every word)
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover
    _c = _p = None

_STARTS = string.ascii_lowercase + string.digits + "+_"
_WORD_START = re.compile(r"(?<![\w'])[\w+]")
_WORD = re.compile(r"[\w&'-]+(?:\.[\w&'-]+)*")
_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][\w&'-]*(?:\.[\w&'-]+)*")


def _first(items) -> set[str] | None:
    """The characters a parsed pattern can start with, or None when it cannot be worked out."""
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero-width: look further
            continue
        if op is _c.LITERAL:
            return {chr(av)}
        if op is _c.IN:
            return _first_in(av)
        if op is _c.BRANCH:
            sets = [_first(branch) for branch in av[1]]
            return None if None in sets else set().union(*sets)
        if op is _c.SUBPATTERN:
            return _first(av[-1])
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] > 0:
            return _first(av[2])
        return None  # optional parts, wildcards, categories: not worth following
    return None


def _first_in(av) -> set[str] | None:
    chars: set[str] = set()
    for op, arg in av:
        if op is _c.LITERAL:
            chars.add(chr(arg))
        elif op is _c.RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT:
            chars.update(string.digits)
        else:
            return None
    return chars


def _starts(alternative: str) -> set[str]:
    """The word-start characters ``alternative`` can match at (all of them when unknown)."""
    if _p is None:
        return set(_STARTS)
    first = _first(_p.parse(alternative).data)
    return set(_STARTS) if first is None else first & set(_STARTS)


class CueMatcher:
    """The cues of ``lex.CUES`` per first character; ``names`` False: a vendor-name slot never matches."""

    def __init__(self, names: bool = True):
        by_char: dict[str, list[str]] = {c: [] for c in _STARTS}
        self.named: dict[str, list[str]] = {}  # cue -> its vendor-name groups
        for cue, _, alternatives in lex.CUES:
            alternatives = [(a, _starts(a)) for a in self._slots(cue, alternatives, names)]
            for c in _STARTS:
                picked = [a for a, starts in alternatives if c in starts]
                if picked:
                    by_char[c].append(f"(?P<{cue}>{'|'.join(picked)})")
        self.by_char = {c: re.compile("|".join(groups)) for c, groups in by_char.items() if groups}

    def _slots(self, cue: str, alternatives, names: bool) -> list[str]:
        """The alternatives with each vendor-name slot a group of its own (``<cue>__name<n>``)."""
        done = []
        for alternative in alternatives:
            if lex.NAME_SLOT in alternative:
                group = f"{cue}__name{len(self.named.setdefault(cue, []))}"
                self.named[cue].append(group)
                alternative = alternative.replace(lex.NAME_SLOT, f"(?P<{group}>{lex.NAME})" if names else "(?!)")
            done.append(alternative)
        return done

    def vendor_name_at(self, match: re.Match) -> int | None:
        """Where the vendor name of ``match`` starts, if its cue read one."""
        for group in self.named.get(match.lastgroup, ()):
            if group in match.re.groupindex and match.group(group):
                return match.start(group)
        return None

    def match(self, clause: str, pos: int) -> re.Match | None:
        pattern = self.by_char.get(clause[pos])
        return pattern.match(clause, pos) if pattern else None


_WITH_NAMES, _WITHOUT_NAMES = CueMatcher(True), CueMatcher(False)


def cues(lower: str, clause: str) -> Iterator[re.Match]:
    """The cues in ``lower`` (``clause`` lower-cased), left to right, none overlapping. A vendor name
    must be capitalised in ``clause`` as written: "went with Globex", not "went with annual billing",
    which is read again without the name."""
    pos = 0
    while start := _WORD_START.search(lower, pos):
        at = start.start()
        match = _WITH_NAMES.match(lower, at)
        name_at = _WITH_NAMES.vendor_name_at(match) if match else None
        if name_at is not None and not _capitalised(clause, lower, name_at):
            match = _WITHOUT_NAMES.match(lower, at)
        if match is None:
            pos = at + 1
            continue
        yield match
        pos = max(match.end(), at + 1)


def _capitalised(clause: str, lower: str, at: int) -> bool:
    """Whether the word at ``at`` of ``lower`` is capitalised in ``clause``."""
    if len(clause) == len(lower):
        return clause[at].isupper()
    word = _WORD.match(lower, at).group()  # lower-casing changed the length: find the word instead
    return word in {w.lower() for w in _CAPITALISED.findall(clause)}

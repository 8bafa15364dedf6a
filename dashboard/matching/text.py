"""Text helpers every key shares: accents, case, punctuation, typo distance."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import OSA

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# letters NFKD leaves whole: their plain spellings
_LETTERS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


def clean(value: str | None) -> str:
    """Trimmed, inner whitespace collapsed; '' for None."""
    return _SPACES.sub(" ", value or "").strip()


def fold(value: str | None) -> str:
    """Lower case (casefold: ß -> ss), accents removed, spaces collapsed: ``" Café  MÜLLER"`` -> ``"cafe muller"``."""
    text = unicodedata.normalize("NFKD", clean(value).casefold().translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c))


def words(value: str) -> list[str]:
    """Tokens of a folded text: apostrophes joined (``o'brien`` -> ``obrien``), other punctuation splits."""
    return [w for w in _NOT_WORD.split(value.replace("'", "").replace("\u2019", "")) if w]


def typo_distance(a: str, b: str) -> int:
    """Edits between two tokens, a swap of neighbours counting one (optimal string alignment)."""
    return OSA.distance(a, b)


def typo_allowance(a: str, b: str) -> int:
    """How many edits still read as a slip of the same word: none below 4 letters or with digits (``"AB2"``
    and ``"AB3"`` are two names), one up to 8 letters, two from 9."""
    shorter = min(len(a), len(b))
    if shorter < 4 or any(c.isdigit() for c in a + b):
        return 0
    return 1 if shorter < 9 else 2

"""Finding the companies a name could mean among many: exact keys first, then a fuzzy search whose
candidates are judged word by word (``compare_tokens``)."""

from __future__ import annotations

from collections.abc import Hashable

from rapidfuzz import fuzz, process

from dashboard.matching.companies import company_words, compare_tokens, full_compact, with_full_names
from dashboard.matching.result import SAME, Match

SEARCH_CUTOFF = 70.0  # rapidfuzz ratio of whole keys below which no word-by-word comparison can find them alike
SEARCH_LIMIT = 25


class CompanyIndex:
    """Items (ids, objects) under their company names; :meth:`candidates` answers the plausible ones."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Hashable]] = {}
        self.by_compact: dict[str, list[Hashable]] = {}
        self.keys: list[str] = []  # what the fuzzy search reads, in the order added: keys and words as typed
        self.key_of: dict[str, list[str]] = {}  # a searched string -> the keys it stands for
        self.tokens: dict[str, tuple] = {}  # key -> (tokens, raw words, full compact) of the first name with it
        # key -> (fuzzy hits, how many of ``keys`` they were computed over): keys are only ever appended,
        # so a cached answer is brought up to date by searching the keys added since
        self._cache: dict[str, tuple[list[tuple[str, float]], int]] = {}

    def add(self, item: Hashable, name: str | None) -> None:
        """Index ``item`` under ``name`` (an item may have several names: its spellings seen so far)."""
        tokens, raw = company_words(name)
        if not tokens:
            return
        key = " ".join(tokens)
        if key not in self.by_key:
            self.by_key[key] = []
            self.tokens[key] = (tokens, raw, full_compact(name))
            for text in dict.fromkeys((key, " ".join(raw))):  # "acme telecom" finds "acme telecommunication"
                if text not in self.key_of:
                    self.key_of[text] = []
                    self.keys.append(text)
                self.key_of[text].append(key)
        if item in self.by_key[key]:
            return
        self.by_key[key].append(item)
        for compact in {"".join(tokens), "".join(raw), full_compact(name)}:
            self.by_compact.setdefault(compact, []).append(item)

    def fuzzy_keys(self, key: str) -> list[tuple[str, float]]:
        """Searched strings (``keys``) scoring at least SEARCH_CUTOFF against ``key``, best first (ties: first
        added); the same answer as one search over all of them, without searching again those a cached answer
        covered."""
        cached = self._cache.get(key)
        total = len(self.keys)
        if cached is not None and cached[1] == total:
            return cached[0]
        seen = cached[1] if cached is not None else 0
        found = process.extract(key, self.keys[seen:] if seen else self.keys, scorer=fuzz.ratio,
                                limit=SEARCH_LIMIT, score_cutoff=SEARCH_CUTOFF)  # fmt: skip
        hits = [(choice, score) for choice, score, _ in found]
        if cached is not None and cached[0]:
            hits = sorted(cached[0] + hits, key=lambda c: -c[1])[:SEARCH_LIMIT]
        self._cache[key] = (hits, total)
        return hits

    def similar_keys(self, key: str, typed: str) -> list[str]:
        """The keys other than ``key`` whose key or words as typed are close to the name's key or its words."""
        hits = self.fuzzy_keys(key) + (self.fuzzy_keys(typed) if typed != key else [])
        return [k for text, _score in hits for k in self.key_of[text] if k != key]

    def candidates(self, name: str | None, exact_first: bool = False) -> list[tuple[Hashable, Match]]:
        """(item, match) for every item whose name is the same as ``name`` or could be: the same ones first,
        then by score. ``exact_first``: only the items of the same key when there are any (no fuzzy search)."""
        tokens, raw = company_words(name)
        if not tokens:
            return []
        key = " ".join(tokens)
        found: dict[Hashable, Match] = {}
        for item in self.by_key.get(key, []):
            found[item] = Match(SAME, 1.0, ("same name once case, punctuation, abbreviations and legal forms "
                                            "are set aside",))  # fmt: skip
        if exact_first and found:
            return list(found.items())
        full = full_compact(name)
        for compact in dict.fromkeys(("".join(tokens), "".join(raw), full)):
            for item in self.by_compact.get(compact, []):
                found.setdefault(item, Match(SAME, 0.97, ("names differ only in spacing",)))
        for other in self.similar_keys(key, " ".join(raw)):
            other_tokens, other_raw, other_full = self.tokens[other]
            match = compare_tokens(tokens, other_tokens, raw, other_raw)
            match = with_full_names(match, full, other_full, tokens, other_tokens)
            if match.plausible:
                for item in self.by_key[other]:
                    if item not in found or _better(match, found[item]):
                        found[item] = match  # an item found under several of its names: its best
        return sorted(found.items(), key=lambda pair: (not pair[1].same, -pair[1].score))


def _better(a: Match, b: Match) -> bool:
    return (a.same, a.score) > (b.same, b.score)

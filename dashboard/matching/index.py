"""Finding the companies a name could mean among many: exact keys first, then a fuzzy search whose
candidates are judged word by word (``compare_tokens``)."""

from __future__ import annotations

from collections.abc import Hashable

from rapidfuzz import fuzz, process

from dashboard.matching.companies import company_tokens, compare_tokens
from dashboard.matching.result import SAME, Match

SEARCH_CUTOFF = 70.0  # rapidfuzz ratio of whole keys below which no word-by-word comparison can find them alike
SEARCH_LIMIT = 8


class CompanyIndex:
    """Items (ids, objects) under their company names; :meth:`candidates` answers the plausible ones."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Hashable]] = {}
        self.by_compact: dict[str, list[Hashable]] = {}
        self.keys: list[str] = []  # distinct keys in the order added, for the fuzzy search
        self.tokens: dict[str, tuple[str, ...]] = {}
        # key -> (fuzzy hits, how many of ``keys`` they were computed over): keys are only ever appended,
        # so a cached answer is brought up to date by searching the keys added since
        self._cache: dict[str, tuple[list[tuple[str, float]], int]] = {}

    def add(self, item: Hashable, name: str | None) -> None:
        tokens = company_tokens(name)
        if not tokens:
            return
        key = " ".join(tokens)
        if key not in self.by_key:
            self.by_key[key] = []
            self.keys.append(key)
            self.tokens[key] = tokens
        self.by_key[key].append(item)
        self.by_compact.setdefault("".join(tokens), []).append(item)

    def fuzzy_keys(self, key: str) -> list[tuple[str, float]]:
        """Known keys scoring at least SEARCH_CUTOFF against ``key``, best first (ties: first added); the same
        answer as one search over every key, without searching again the keys a cached answer covered."""
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

    def candidates(self, name: str | None) -> list[tuple[Hashable, Match]]:
        """(item, match) for every item whose name is the same as ``name`` or could be: the same ones first,
        then by score."""
        tokens = company_tokens(name)
        if not tokens:
            return []
        key, compact = " ".join(tokens), "".join(tokens)
        found: dict[Hashable, Match] = {}
        for item in self.by_key.get(key, []):
            found[item] = Match(SAME, 1.0, ("same name once case, punctuation, abbreviations and legal forms "
                                            "are set aside",))  # fmt: skip
        for item in self.by_compact.get(compact, []):
            found.setdefault(item, Match(SAME, 0.97, ("names differ only in spacing",)))
        for other, _score in self.fuzzy_keys(key):
            if other == key:
                continue
            match = compare_tokens(tokens, self.tokens[other])
            if match.plausible:
                for item in self.by_key[other]:
                    found.setdefault(item, match)
        return sorted(found.items(), key=lambda pair: (not pair[1].same, -pair[1].score))

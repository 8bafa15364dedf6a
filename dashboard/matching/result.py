"""What a comparison answers: a verdict, a score and the reasons a person can read."""

from __future__ import annotations

from dataclasses import dataclass

SAME = "same"  # the same entity: link without asking
UNCERTAIN = "uncertain"  # could be: ask (a review item, a suggested duplicate)
DIFFERENT = "different"  # two entities


@dataclass(frozen=True)
class Match:
    verdict: str  # SAME | UNCERTAIN | DIFFERENT
    score: float  # 0..1, higher is more alike (orders candidates; the verdict decides)
    reasons: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return self.verdict == SAME

    @property
    def plausible(self) -> bool:
        """Same or uncertain: worth showing as a candidate."""
        return self.verdict != DIFFERENT

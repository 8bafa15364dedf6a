"""How well the sentiment reads sales notes: the labelled corpus and its accuracy.

``corpus/sales_notes.csv`` (columns ``text,label,split``) holds sales notes written for this
purpose in many reps' styles, labelled ``positive`` / ``negative`` / ``neutral`` (logistics:
scheduling, sending, logging). The ``eval`` split was written first and is kept out of building
the rules (they were tuned on ``dev`` only), so its numbers say how the scorer does on notes it was
not built from.

The measures (``accuracy``):

* **sign agreement**: of the positive and negative notes, the share whose score has the label's
  sign, by :func:`sentiment.label`'s +-0.05 convention (a positive note must score >= 0.05);
* **neutral within +-0.25**: of the neutral notes, the share scoring between -0.25 and 0.25
  (activities' outcome prediction calls those neutral).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dashboard.intelligence import sentiment

CORPUS = Path(__file__).resolve().parent / "corpus" / "sales_notes.csv"
LABELS = ("positive", "negative", "neutral")
NEUTRAL_BAND = 0.25


@dataclass(frozen=True)
class Note:
    text: str
    label: str
    split: str


@dataclass(frozen=True)
class Accuracy:
    polar: int  # positive and negative notes
    agreeing: int  # of which with the label's sign
    neutral: int
    within: int  # neutral notes within +-NEUTRAL_BAND

    @property
    def sign_agreement(self) -> float:
        return self.agreeing / self.polar if self.polar else 0.0

    @property
    def neutral_within(self) -> float:
        return self.within / self.neutral if self.neutral else 0.0


def load(path: Path = CORPUS, split: str | None = None) -> list[Note]:
    """The labelled notes of ``path`` (only ``split``'s when given)."""
    with path.open(newline="", encoding="utf-8") as f:
        notes = [Note(row["text"], row["label"], row["split"]) for row in csv.DictReader(f)]
    unknown = {n.label for n in notes} - set(LABELS)
    if unknown:
        raise ValueError(f"unknown labels in {path.name}: {sorted(unknown)}")
    return [n for n in notes if split is None or n.split == split]


def agrees(note: Note, score: float | None) -> bool:
    """Whether ``score`` reads ``note`` as labelled (neutral: within the band)."""
    if note.label == "neutral":
        return score is None or abs(score) <= NEUTRAL_BAND
    return sentiment.label(score) == note.label


def accuracy(notes: Iterable[Note], scorer: Callable[[str], float | None] = sentiment.compound) -> Accuracy:
    """Sign agreement on the polar notes and the neutral notes' share within the band."""
    polar = agreeing = neutral = within = 0
    for note in notes:
        ok = agrees(note, scorer(note.text))
        if note.label == "neutral":
            neutral, within = neutral + 1, within + ok
        else:
            polar, agreeing = polar + 1, agreeing + ok
    return Accuracy(polar, agreeing, neutral, within)


def report(path: Path = CORPUS, split: str = "eval") -> dict[str, Accuracy]:
    """The accuracy on ``split`` of the sales-aware scorer and, for comparison, plain VADER."""
    notes = load(path, split)
    return {"sales": accuracy(notes), "vader": accuracy(notes, sentiment.vader_compound)}


def report_lines(path: Path = CORPUS, split: str = "eval") -> list[str]:
    """The report as the ``crm score --report`` lines."""
    lines = [f"sentiment on the {split} part of {path.name} (notes the rules were not built from):"]
    for name, acc in report(path, split).items():
        scorer = "sales-aware" if name == "sales" else "plain VADER"
        lines.append(
            f"  {scorer:12} sign agreement {acc.sign_agreement:6.1%} ({acc.agreeing}/{acc.polar} positive/negative)"
            f"  neutral within ±{NEUTRAL_BAND} {acc.neutral_within:6.1%} ({acc.within}/{acc.neutral})"
        )
    return lines


def misses(split: str = "dev", path: Path = CORPUS) -> list[tuple[Note, float | None]]:
    """The notes of ``split`` the scorer reads against their label (to tune the rules on ``dev``)."""
    return [(n, s) for n in load(path, split) if not agrees(n, s := sentiment.compound(n.text))]

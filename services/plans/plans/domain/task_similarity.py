"""How alike two task texts are: Sørensen-Dice over character trigrams.

Texts are normalised first (``normalise_task_text``), so case, diacritics, numbering and
punctuation do not count. Trigrams of the whole string (padded at the ends, spaces kept)
tolerate swapped words, word order changes and typos, and need no Vietnamese word
segmentation. See docs/adr/010-plan-copy-detection.md.
"""

from __future__ import annotations

from plans.domain.task_text import normalise_task_text

METHOD = "char-trigram-dice/v1"


def trigrams(normalised: str) -> frozenset[str]:
    padded = f" {normalised} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def task_similarity(first: str, second: str) -> float:
    """1.0 for the same task restated, near 0 for unrelated tasks."""
    return dice(trigrams(normalise_task_text(first)), trigrams(normalise_task_text(second)))

"""Normalising Vietnamese task text before two plans' tasks are compared.

Two tasks are the same task when they differ only in case, diacritics, punctuation,
numbering ("1.", "a)", "II.", "-", "Nhiệm vụ 3:", "Thứ hai,") or spacing.
"""

from __future__ import annotations

import re
import unicodedata

_ORDINALS = r"(?:nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)"

# Applied to lower-cased text without diacritics, repeatedly, at the start only.
_LEADING_NUMBERING = re.compile(
    rf"""^\s*(?:
        (?:nhiem\s+vu|nv|muc|phan|bien\s+phap|giai\s+phap)\s+(?:thu\s+)?(?:\d+|[ivxlc]+|{_ORDINALS})\b\s*[:.)/-]?
      | thu\s+{_ORDINALS}\s*[:,.)-]
      | (?:mot|hai|ba|bon|nam)\s+la\s*[:,]
      | \(?\d+(?:\.\d+)*\s*[.):/-]+(?!\d)
      | \(?[ivxlc]+\s*[.):/-]+
      | \(?[a-z]\s*[.)]+
      | [-\u2013\u2014•+*·>]+
    )\s*""",
    re.VERBOSE,
)
_NOT_A_WORD = re.compile(r"[\W_]+")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ becomes d (it has no decomposition)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_numbering(text: str) -> str:
    """Drop leading list markers, however many are stacked ("II. 1. a)")."""
    while True:
        stripped = _LEADING_NUMBERING.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def normalise_task_text(text: str) -> str:
    """The comparable form of a task: lower case, no diacritics, numbering,
    punctuation or repeated spaces."""
    text = strip_diacritics(unicodedata.normalize("NFC", text).casefold())
    text = strip_numbering(text)
    return " ".join(_NOT_A_WORD.sub(" ", text).split())

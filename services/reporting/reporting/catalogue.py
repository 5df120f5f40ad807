"""Which catalogue group a shortcoming code belongs to (DOMAIN.md §4)."""

from __future__ import annotations

NQ04_GROUPS = ((1, 9, "I"), (10, 18, "II"), (19, 27, "III"))


def catalogue_group(code: str) -> str:
    """`NQ04-1`..`-9` -> I, `-10`..`-18` -> II, `-19`..`-27` -> III; else the code's prefix.

    `QD37-14` -> QD37, `RA-DISCIPLINE` -> RA: the group is the catalogue itself.
    """
    prefix, _, item = code.partition("-")
    if prefix == "NQ04" and item.isdigit():
        number = int(item)
        for low, high, group in NQ04_GROUPS:
            if low <= number <= high:
                return group
    return prefix

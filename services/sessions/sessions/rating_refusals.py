"""How the rating RPCs' refusals reach the caller: every one names the rule that refused.

The domain's refusals name their rule already. The two that `refusals()` raises itself
carry none, so they are named here: a payload the schema refused, and an append at a
stale `expected_version`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventlog.refusals import CommandRefused, refusals
from sessions.refusal_status import status_of

INPUT_MUST_BE_WELL_FORMED = "RatingInputMustBeWellFormed"
VERSION_MUST_BE_CURRENT = "RatingRoundVersionMustBeCurrent"
RULE_BY_CODE = {"invalid_input": INPUT_MUST_BE_WELL_FORMED, "version_conflict": VERSION_MUST_BE_CURRENT}


@contextmanager
def rating_refusals() -> Iterator[None]:
    """`refusals(status_of)`, with a rule named on the refusals that had none."""
    try:
        with refusals(status_of):
            yield
    except CommandRefused as refused:
        detail = refused.detail
        if detail["rule"] is not None or detail["code"] not in RULE_BY_CODE:
            raise
        raise CommandRefused(
            detail["status"],
            detail["code"],
            detail["message"],
            detail["field"],
            RULE_BY_CODE[detail["code"]],
            detail["fields"],
        ) from None

"""A rebuild's whole read store, built in memory from the logs before it is written.

The same rules as the live projection (facts.py, tree.py, rollup.py), without a query
per event: facts and posts accumulate as rows, the tree in a TreeModel, figures in a
FigureBuilder; a fact counted once per subject keeps its first occurrence, as the
unique key does live. Payloads are decoded only for event types reporting reads.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from eventlog.inbox import UnreadableEvent, check_envelope

from .facts import FACTS_OF
from .figures_build import FigureBuilder
from .projection import COMMITTEE_POSTS, POST_EVENTS
from .rollup import Post, Row, spans_of
from .tree import TREE_EVENTS
from .tree_model import TreeModel

WANTED = frozenset(FACTS_OF) | frozenset(POST_EVENTS) | frozenset(TREE_EVENTS)


NULL = "\\N"
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_ready(row: tuple[str | None, ...]) -> tuple[str, ...]:
    """A row as PostgreSQL's COPY text reads it: NULL as \\N, specials escaped."""
    if _SPECIAL.search("".join([v for v in row if v is not None])) is None:
        return tuple([NULL if v is None else v for v in row])
    return tuple([NULL if v is None else v.translate(_ESCAPES) for v in row])


def from_copy_ready(row: tuple[str, ...]) -> tuple[str | None, ...]:
    """Back from COPY text, for stores written with plain inserts (SQLite)."""
    if not any("\\" in v for v in row):
        return row
    unescape = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
    return tuple(None if v == NULL else re.sub(r"\\.", lambda m: unescape.get(m.group(0), m.group(0)), v)
                 for v in row)


class LogRow(NamedTuple):
    """An event straight from a source's log; `payload` may still be JSON text."""

    position: int
    event_id: str
    type: str
    payload: Any
    recorded_at: str


class Load:
    """Everything a rebuild writes, gathered event by event in log order."""

    def __init__(self) -> None:
        self.facts: list[str] = []  # COPY text lines
        self.posts: list[tuple[Any, ...]] = []
        self.dead: list[tuple[Any, str]] = []
        self.tree = TreeModel()
        self.figures = FigureBuilder()
        self.once: set[str] = set()

    def take_facts(self) -> list[str]:
        """The fact rows gathered since the last call (in COPY text form)."""
        taken, self.facts = self.facts, []
        return taken

    def event(self, source: str, item: Any) -> None:
        """One event of `source`: a LogRow, or an envelope dict read over RPC."""
        if isinstance(item, dict):
            try:
                envelope = check_envelope(item)
            except UnreadableEvent as exc:
                self.dead.append((item, str(exc)))
                return
            item = LogRow(envelope["position"], str(envelope.get("event_id") or ""), envelope["type"],
                          envelope["payload"], str(envelope.get("recorded_at") or ""))
        position, event_id, kind, payload, recorded_at = item
        if kind not in WANTED:
            return
        try:
            if isinstance(payload, str):
                payload = json.loads(payload)
            if not isinstance(payload, dict):
                raise TypeError("the payload is not an object")
            found = FACTS_OF[kind](payload) if kind in FACTS_OF else []
            for fact in found:
                if not isinstance(fact.org_id, str) or not isinstance(fact.on_date, str) \
                        or len(fact.on_date) != 10:
                    raise ValueError(f"fact {fact.metric} needs an org_id and an ISO date")
            post = self._post(kind, payload, position) if kind in POST_EVENTS else None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.dead.append((item._asdict() | {"source": source},
                              f"{kind} payload is unreadable: {exc!r}"))
            return
        if kind in TREE_EVENTS:
            self.tree.apply(kind, payload, recorded_at)
        if post is not None:
            self.posts.append(post)
            self.figures.post(Post(*post))
        # JSON writes a backslash, tab or newline in a string as an escape with a
        # backslash: a payload text without one needs no COPY escaping at all.
        tail = f"{source}\t{position}\t{event_id}\t{kind}\t{recorded_at}"
        plain_text = isinstance(item.payload, str) and "\\" not in item.payload \
            and _SPECIAL.search(tail) is None and tail.count("\t") == 4
        figures, kinds, totals = self.figures, self.figures.kinds, self.figures.totals
        for fact in found:
            metric, org_id, on_date, value, subject_kind, subject_id, ref, once = fact
            once_key = f"{metric}:{ref}" if once else None
            if once_key is not None:
                if once_key in self.once:
                    continue
                self.once.add(once_key)
            value = int(value)
            if plain_text:
                self.facts.append(f"{metric}\t{org_id}\t{on_date}\t{value}\t"
                                  f"{NULL if subject_kind is None else subject_kind}\t"
                                  f"{NULL if subject_id is None else subject_id}\t"
                                  f"{NULL if ref is None else ref}\t{once_key or NULL}\t{tail}")
            else:
                self.facts.append("\t".join(copy_ready(tuple(None if v is None else str(v) for v in (
                    metric, org_id, on_date, value, subject_kind, subject_id, ref, once_key, source,
                    position, event_id, kind, recorded_at)))))
            taking = kinds.get(metric) or figures.kind_of(metric)
            if taking[0]:  # a plain figure: summed by unit, metric, month, quarter and year
                for span in spans_of(on_date[:7]):
                    key = (org_id, metric, span, "")
                    slot = totals.get(key)
                    if slot is None:
                        totals[key] = [value, 1]
                    else:
                        slot[0] += value
                        slot[1] += 1
            if taking[1]:
                figures.group(Row(metric, org_id, on_date, value, subject_id, ref, source, position))

    @staticmethod
    def _post(kind: str, p: dict[str, Any], position: int) -> tuple[Any, ...]:
        committee = bool(COMMITTEE_POSTS.intersection(p.get("posts_in_cell") or []))
        return (p["member_id"], p[POST_EVENTS[kind]], committee, position)

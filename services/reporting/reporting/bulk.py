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

import orjson

from eventlog.inbox import UnreadableEvent, check_envelope

from .facts import FACTS_OF, Fact
from .figures_build import FigureBuilder
from .projection import COMMITTEE_POSTS, POST_EVENTS
from .rollup import Post
from .tree import TREE_EVENTS
from .tree_model import TreeModel

WANTED = frozenset(FACTS_OF) | frozenset(POST_EVENTS) | frozenset(TREE_EVENTS)
# event type -> (its facts, whether it dates a committee post, whether it changes the tree)
READS = {kind: (FACTS_OF.get(kind), kind in POST_EVENTS, kind in TREE_EVENTS) for kind in WANTED}


NULL = "\\N"


_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def decode_json(text: str) -> Any:
    """orjson where it reads the text (most of a replay's time was json.loads); the
    standard library for what orjson refuses (NaN, integers past 64 bits), so a payload
    reads exactly as it always did."""
    try:
        return orjson.loads(text)
    except ValueError:
        return json.loads(text)


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
    return tuple(
        None if v == NULL else re.sub(r"\\.", lambda m: unescape.get(m.group(0), m.group(0)), v) for v in row
    )


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
        self.posts: list[Post] = []
        self.dead: list[tuple[Any, str]] = []
        self.tree = TreeModel()
        self.figures = FigureBuilder()
        self.once: set[str] = set()
        self.recorded: dict[
            str, list[str]
        ] = {}  # month -> [first, last] instant (rollup_store.record_instant)

    def record_instant(self, recorded_at: str) -> None:
        if not recorded_at:
            return
        span = self.recorded.get(recorded_at[:7])
        if span is None:
            self.recorded[recorded_at[:7]] = [recorded_at, recorded_at]
        elif recorded_at > span[1]:
            span[1] = recorded_at
        elif recorded_at < span[0]:
            span[0] = recorded_at

    def take_facts(self) -> list[str]:
        """The fact rows gathered since the last call (in COPY text form)."""
        taken, self.facts = self.facts, []
        return taken

    def take_posts(self) -> list[Post]:
        """The committee posts gathered since the last call (a post never changes)."""
        taken, self.posts = self.posts, []
        return taken

    def event(self, source: str, item: Any) -> None:
        """One event of `source`: a LogRow (or a tuple of its fields), or an envelope dict
        read over RPC."""
        if isinstance(item, dict):
            try:
                envelope = check_envelope(item)
            except UnreadableEvent as exc:
                self.dead.append((item, str(exc)))
                return
            item = LogRow(
                envelope["position"],
                str(envelope.get("event_id") or ""),
                envelope["type"],
                envelope["payload"],
                str(envelope.get("recorded_at") or ""),
            )
        position, event_id, kind, payload, recorded_at = item
        reads = READS.get(kind)
        if reads is None:
            return
        facts_of, dates_post, changes_tree = reads
        text = payload
        try:
            if isinstance(payload, str):
                try:  # decode_json, inlined: this runs once an event
                    payload = orjson.loads(payload)
                except ValueError:
                    payload = json.loads(payload)
            if not isinstance(payload, dict):
                raise TypeError("the payload is not an object")
            found = facts_of(payload) if facts_of is not None else []
            for fact in found:
                if (
                    not isinstance(fact.org_id, str)
                    or not isinstance(fact.on_date, str)
                    or len(fact.on_date) != 10
                ):
                    raise ValueError(f"fact {fact.metric} needs an org_id and an ISO date")
            post = self._post(kind, payload, position) if dates_post else None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.dead.append(
                (LogRow(*item)._asdict() | {"source": source}, f"{kind} payload is unreadable: {exc!r}")
            )
            return
        if changes_tree and self.tree.apply(kind, payload, recorded_at) and not found:
            self.record_instant(recorded_at)  # (an event with facts records it in _facts)
        if post is not None:
            self.posts.append(post)
            self.figures.post(post)
        if found:
            self._facts(
                source,
                position,
                event_id,
                kind,
                recorded_at,
                found,
                isinstance(text, str) and "\\" not in text,
            )

    def _facts(
        self,
        source: str,
        position: int,
        event_id: str,
        kind: str,
        recorded_at: str,
        found: list[Fact],
        plain_payload: bool,
    ) -> None:
        # Every string of a fact comes from the payload or from this code; JSON writes a
        # backslash, tab, newline or CR in a string with a backslash, so a payload text
        # without one gives fact rows that need no COPY escaping at all.
        tail = f"{source}\t{position}\t{event_id}\t{kind}\t{recorded_at}"
        plain_text = (
            plain_payload
            and tail.count("\t") == 4
            and "\\" not in tail
            and "\n" not in tail
            and "\r" not in tail
        )
        lines, once, figures = self.facts, self.once, self.figures
        own, kinds = figures.own, figures.kinds
        stamp = recorded_at[:7]  # rollup.stamp_of
        if recorded_at:  # record_instant, inlined: this runs once an event
            span = self.recorded.get(stamp)
            if span is None:
                self.recorded[stamp] = [recorded_at, recorded_at]
            elif recorded_at > span[1]:
                span[1] = recorded_at
            elif recorded_at < span[0]:
                span[0] = recorded_at
        for metric, org_id, on_date, value, subject_kind, subject_id, ref, counted_once in found:
            once_key = None
            if counted_once:
                once_key = f"{metric}:{ref}"
                if once_key in once:
                    continue
                once.add(once_key)
            value = int(value)
            if plain_text:
                lines.append(
                    f"{metric}\t{org_id}\t{on_date}\t{value}\t"
                    f"{NULL if subject_kind is None else subject_kind}\t"
                    f"{NULL if subject_id is None else subject_id}\t"
                    f"{NULL if ref is None else ref}\t{once_key or NULL}\t{tail}"
                )
            else:
                lines.append(
                    "\t".join(
                        copy_ready(
                            tuple(
                                None if v is None else str(v)
                                for v in (
                                    metric,
                                    org_id,
                                    on_date,
                                    value,
                                    subject_kind,
                                    subject_id,
                                    ref,
                                    once_key,
                                    source,
                                    position,
                                    event_id,
                                    kind,
                                    recorded_at,
                                )
                            )
                        )
                    )
                )
            # FigureBuilder.count, its plain part inlined: this loop runs once a fact.
            plain_too, group = kinds.get(metric) or figures.kind_of(metric)
            if plain_too:
                unit = own.get(org_id)
                if unit is None:
                    unit = own[org_id] = {}
                key = (metric, on_date, "", stamp)
                slot = unit.get(key)
                if slot is None:
                    unit[key] = [value, 1]
                else:
                    slot[0] += value
                    slot[1] += 1
            if group is not None:
                figures.add_grouped(
                    group, metric, org_id, on_date, value, subject_id, ref, source, position, recorded_at
                )

    @staticmethod
    def _post(kind: str, p: dict[str, Any], position: int) -> Post:
        committee = bool(COMMITTEE_POSTS.intersection(p.get("posts_in_cell") or []))
        return Post(p["member_id"], p[POST_EVENTS[kind]], committee, position)

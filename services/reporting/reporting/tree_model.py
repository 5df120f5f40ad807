"""The dated tree in memory, for a bulk rebuild: the same rules as tree.py, no queries.

Rows come out exactly as tree.py would have written them applying the same events in
the same order, so a bulk rebuild equals an event-by-event one.
"""

from __future__ import annotations

from typing import Any

from .tree import BEGINNING

# org_id, ancestor_id, via_child, valid_from, valid_to, recorded_at, closed_at
AncestryRow = list[Any]


class TreeModel:
    def __init__(self) -> None:
        self.orgs: dict[str, list[Any]] = {}  # org_id -> [kind, name, parent_id, registered_on, dissolved_on]
        self.rows: list[AncestryRow] = []
        self.open: dict[str, dict[str, int]] = {}  # org_id -> {ancestor_id: row index}
        self.under: dict[str, set[str]] = {}  # ancestor_id -> org_ids with an open row to it

    def apply(self, event_type: str, p: dict[str, Any], recorded_at: str) -> bool:
        """Apply one Organization* event; True when it added or closed ancestry rows."""
        if event_type == "OrganizationRegistered":
            return self.register(p, recorded_at)
        if event_type == "OrganizationMoved":
            return self.move(p["org_id"], p["parent_id"], p["moved_on"], recorded_at)
        if event_type == "OrganizationRenamed" and p["org_id"] in self.orgs:
            self.orgs[p["org_id"]][1] = p["name"]
        elif event_type == "OrganizationDissolved" and p["org_id"] in self.orgs:
            self.orgs[p["org_id"]][4] = p["dissolved_on"]
        return False

    def _open_ancestors(self, org_id: str) -> list[tuple[str, str | None]]:
        return [(a, self.rows[i][2]) for a, i in self.open.get(org_id, {}).items()]

    def _add(self, org_id: str, ancestor_id: str, via: str | None, valid_from: str, recorded_at: str) -> None:
        self.open.setdefault(org_id, {})[ancestor_id] = len(self.rows)
        self.under.setdefault(ancestor_id, set()).add(org_id)
        self.rows.append([org_id, ancestor_id, via, valid_from, None, recorded_at, None])

    def register(self, p: dict[str, Any], recorded_at: str) -> bool:
        org_id = p["org_id"]
        if org_id in self.orgs:
            return False
        self.orgs[org_id] = [p["kind"], p["name"], p.get("parent_id"), p["registered_on"], None]
        above = self._open_ancestors(p["parent_id"]) if p.get("parent_id") else []
        self._add(org_id, org_id, None, BEGINNING, recorded_at)
        for a, via in above:
            self._add(org_id, a, via or org_id, BEGINNING, recorded_at)
        return True

    def move(self, org_id: str, parent_id: str, moved_on: str, recorded_at: str) -> bool:
        subtree = sorted(self.under.get(org_id, ()))
        if not subtree or parent_id in subtree:
            return False
        above = [a for a in self.open.get(org_id, {}) if a != org_id]
        for member in subtree:
            for a in above:
                index = self.open[member].pop(a, None)
                if index is not None:
                    self.rows[index][4], self.rows[index][6] = moved_on, recorded_at
                    self.under[a].discard(member)
        new_above = self._open_ancestors(parent_id)
        for member in subtree:
            for a, via in new_above:
                self._add(member, a, via or org_id, moved_on, recorded_at)
        if org_id in self.orgs:
            self.orgs[org_id][2] = parent_id
        return bool(above or new_above)

    def organization_rows(self) -> list[tuple[Any, ...]]:
        """(org_id, kind, name, parent_id, registered_on, dissolved_on)"""
        return [(org_id, *values) for org_id, values in self.orgs.items()]

    def strict_ancestors(self) -> list[tuple[str, str]]:
        """(org_id, ancestor_id) on the current tree, each unit's own pair left out."""
        return [(org, a) for org, above in self.open.items() for a in above if a != org]

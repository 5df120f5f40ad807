"""Local copies of other services' data, built from their events (never their databases).

`OrgTreeCopy` keeps the organisation tree from the plans service's events; `RosterCopy`
keeps each member's cell, membership (full or probationary), posts in the cell and seats
on committees above it (`committee_posts`, each naming its organisation) from the sessions
service's events. Both read tolerantly: unknown fields are ignored, unknown event types
are skipped, and a payload missing what we need is unreadable (dead-lettered).
Their `apply` runs inside the inbox transaction, so it only writes its own tables.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from eventlog.inbox import Envelope, UnreadableEvent
from oversight.tables import members, org_nodes

TREE_EVENTS = ("OrganizationRegistered", "OrganizationMoved", "OrganizationRenamed", "OrganizationDissolved")
ROSTER_EVENTS = ("MemberEnrolled", "MemberTransferred", "MemberStatusChanged", "MembershipEnded")
ORG_KINDS = ("province", "district", "grassroots", "cell")
MEMBERSHIPS = ("full", "probationary")


def _text(payload: dict[str, Any], key: str, event_type: str, optional: bool = False) -> Any:
    value = payload.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise UnreadableEvent(f"{event_type}: field {key!r} is missing or not a non-empty string")
    return value


def _texts(payload: dict[str, Any], key: str) -> list[str]:
    value = payload.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _seats(payload: dict[str, Any], event_type: str) -> list[dict[str, str]] | None:
    """`committee_posts` as [{org_id, title}], or None when the event predates the field.

    A seat we cannot read is not skipped: authority over committee members turns on it,
    so the event is dead-lettered rather than read as "holds no seat".
    """
    value = payload.get("committee_posts")
    if value is None:
        return None
    if not isinstance(value, list):
        raise UnreadableEvent(f"{event_type}: field 'committee_posts' is not a list")
    seats = []
    for seat in value:
        if not isinstance(seat, dict):
            raise UnreadableEvent(f"{event_type}: a committee post is not an object")
        seats.append({"org_id": _text(seat, "org_id", event_type), "title": _text(seat, "title", event_type)})
    return seats


class OrgTreeCopy:
    """The organisation tree as the plans service publishes it."""

    def read(self, envelope: Envelope) -> dict[str, Any] | None:
        event_type, payload = envelope["type"], envelope["payload"]
        if event_type not in TREE_EVENTS:
            return None
        fact = {"type": event_type, "org_id": _text(payload, "org_id", event_type)}
        if event_type == "OrganizationRegistered":
            kind = _text(payload, "kind", event_type)
            if kind not in ORG_KINDS:
                raise UnreadableEvent(f"{event_type}: unknown organisation kind {kind!r}")
            fact.update(
                kind=kind,
                name=_text(payload, "name", event_type),
                parent_id=_text(payload, "parent_id", event_type, optional=True),
                authorised=payload.get("authorised_to_admit_members") is True,
            )
        elif event_type == "OrganizationMoved":
            fact["parent_id"] = _text(payload, "parent_id", event_type)
        elif event_type == "OrganizationRenamed":
            fact["name"] = _text(payload, "name", event_type)
        else:
            fact["dissolved_on"] = _text(payload, "dissolved_on", event_type)
        return fact

    def apply(self, conn: sa.Connection, envelope: Envelope, fact: dict[str, Any]) -> None:
        org_id = fact["org_id"]
        if fact["type"] == "OrganizationRegistered":
            parent = _node(conn, fact["parent_id"])
            conn.execute(
                org_nodes.insert().values(
                    org_id=org_id,
                    kind=fact["kind"],
                    name=fact["name"],
                    parent_id=fact["parent_id"],
                    path=f"{parent.path if parent else '/'}{org_id}/",
                    level=(parent.level + 1) if parent else 0,
                    authorised_to_admit_members=fact["authorised"],
                    dissolved_on=None,
                )
            )
        elif fact["type"] == "OrganizationMoved":
            _move(conn, org_id, fact["parent_id"])
        else:
            values = {k: v for k, v in fact.items() if k in ("name", "dissolved_on")}
            conn.execute(org_nodes.update().where(org_nodes.c.org_id == org_id).values(**values))


def _node(conn: sa.Connection, org_id: str | None) -> sa.Row[Any] | None:
    if org_id is None:
        return None
    return conn.execute(sa.select(org_nodes).where(org_nodes.c.org_id == org_id)).first()


def _move(conn: sa.Connection, org_id: str, parent_id: str) -> None:
    old, parent = _node(conn, org_id), _node(conn, parent_id)
    if old is None or parent is None:
        raise UnreadableEvent(f"OrganizationMoved: {org_id!r} or its new parent is not in the tree")
    new_path = f"{parent.path}{org_id}/"
    # Re-root the whole subtree: every descendant's path starts with the old one.
    conn.execute(
        org_nodes.update()
        .where(org_nodes.c.path.startswith(old.path, autoescape=True))
        .values(
            path=sa.func.replace(org_nodes.c.path, old.path, new_path),
            level=org_nodes.c.level + (parent.level + 1 - old.level),
        )
    )
    conn.execute(org_nodes.update().where(org_nodes.c.org_id == org_id).values(parent_id=parent_id))


class RosterCopy:
    """Each member's cell, membership and posts, as the sessions service publishes them."""

    def read(self, envelope: Envelope) -> dict[str, Any] | None:
        event_type, payload = envelope["type"], envelope["payload"]
        if event_type not in ROSTER_EVENTS and "membership" not in payload:
            return None
        fact: dict[str, Any] = {"type": event_type, "member_id": _text(payload, "member_id", event_type)}
        if event_type == "MemberEnrolled":
            fact.update(
                org_id=_text(payload, "org_id", event_type),
                posts_in_cell=_texts(payload, "posts_in_cell"),
                posts_outside_cell=_texts(payload, "posts_outside_cell"),
                committee_posts=_seats(payload, event_type) or [],
            )
        elif event_type == "MemberTransferred":
            fact.update(
                org_id=_text(payload, "org_id", event_type), posts_in_cell=_texts(payload, "posts_in_cell")
            )
            seats = _seats(payload, event_type)
            if seats is not None:  # absent: written before seats were published; keep ours
                fact["committee_posts"] = seats
        elif event_type == "MemberStatusChanged":
            fact["status"] = _text(payload, "status", event_type)
        elif event_type == "MembershipEnded":
            fact.update(status="ended", ended_on=_text(payload, "ended_on", event_type))
        membership = payload.get("membership")
        if membership is not None:
            if membership not in MEMBERSHIPS:
                raise UnreadableEvent(f"{event_type}: unknown membership {membership!r}")
            fact["membership"] = membership
        if event_type == "MemberEnrolled" and "membership" not in fact:
            raise UnreadableEvent("MemberEnrolled: field 'membership' is missing")
        return fact

    def apply(self, conn: sa.Connection, envelope: Envelope, fact: dict[str, Any]) -> None:
        member_id = fact["member_id"]
        values = {k: v for k, v in fact.items() if k not in ("type", "member_id")}
        for key in ("posts_in_cell", "posts_outside_cell", "committee_posts"):
            if key in values:
                values[key] = json.dumps(values[key], ensure_ascii=False)
        known = conn.execute(sa.select(members.c.member_id).where(members.c.member_id == member_id)).first()
        if fact["type"] == "MemberEnrolled" and known is None:
            conn.execute(
                members.insert().values(member_id=member_id, status="active", ended_on=None, **values)
            )
        elif known is not None:
            conn.execute(members.update().where(members.c.member_id == member_id).values(**values))

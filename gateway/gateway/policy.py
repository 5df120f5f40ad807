"""Who may do what: each grant is a role on an organisation subtree.

An action is "<area>.read" or "<area>.write" (or a named one); a request's target is the
organisations it touches and, for the member role, the member it is about. A target of no
organisation (the audit's checks, which reveal no organisation's data) needs only some
grant of a role with the action; the whole tree (None) needs that grant on "*".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gateway.store import ROOT, User

ROLES = ("administrator", "committee_staff", "cell_secretary", "inspection_commission", "member", "auditor")
AREAS = ("tree", "members", "plans", "sessions", "remediation", "oversight", "ratings", "reports")
READS = frozenset(f"{a}.read" for a in AREAS)
WRITES = frozenset(f"{a}.write" for a in AREAS if a != "reports")
SPECIAL = frozenset({"audit.read", "users.admin", "appeals.lodge"})
ACTIONS = READS | WRITES | SPECIAL

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "administrator": ACTIONS,
    "committee_staff": READS
    | {"tree.write", "members.write", "plans.write", "ratings.write", "remediation.write"},
    "cell_secretary": READS | {"sessions.write", "members.write"},
    "inspection_commission": READS | {"oversight.write", "appeals.lodge"},
    "auditor": READS | {"audit.read"},
    "member": frozenset(),
}
# What a member may do about themselves, wherever their grant sits.
MEMBER_OWN = frozenset(
    {"members.read", "remediation.read", "remediation.write", "oversight.read", "appeals.lodge"}
)


@dataclass(frozen=True)
class Target:
    """What a request touches: organisations (None: the whole tree) and a member, if any."""

    org_ids: tuple[str, ...] | None  # () touches no organisation; None, the whole tree
    member_id: str | None = None


Ancestors = Callable[[str], list[str]]


def allowed(user: User, action: str, target: Target, ancestors: Ancestors) -> bool:
    """True if some grant allows `action` on every organisation of `target`."""
    if action == "public":
        return True
    if action == "authenticated":
        return True
    for grant in user.grants:
        if grant.role == "member" and action in MEMBER_OWN and target.member_id:
            if target.member_id == grant.member_id:
                return True
    scoped = [g for g in user.grants if action in ROLE_ACTIONS.get(g.role, frozenset())]
    if any(g.org_id == ROOT for g in scoped):
        return True
    if target.org_ids is None or not scoped:
        return False
    return all(any(g.org_id in ancestors(org) for g in scoped) for org in target.org_ids)


def grantable(user: User, org_id: str, ancestors: Ancestors) -> bool:
    """An administrator may grant roles only inside their own subtree."""
    return allowed(user, "users.admin", Target(None if org_id == ROOT else (org_id,)), ancestors)

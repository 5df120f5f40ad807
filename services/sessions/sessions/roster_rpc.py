"""RPC methods about who belongs to which cell."""

from __future__ import annotations

from typing import Any

from eventlog.refusals import refusals
from eventlog.rpc_entrypoint import rpc
from sessions import members
from sessions.refusal_status import status_of
from sessions.schemas import (
    ChangeMemberStatusSchema,
    EndMembershipSchema,
    EnrolMemberSchema,
    ListMembersSchema,
    RosterQuerySchema,
    TransferMemberSchema,
)


class RosterRpc:
    event_log: Any

    @rpc
    def enrol_member(self, command: dict[str, Any]) -> dict[str, Any]:
        """Put a member (full or probationary) on a cell's roster, with the posts held."""
        with refusals(status_of):
            return members.enrol(self.event_log, **EnrolMemberSchema().load(command))

    @rpc
    def transfer_member(self, command: dict[str, Any]) -> dict[str, Any]:
        """Move a member to another cell from a date; posts in the old cell end."""
        with refusals(status_of):
            return members.transfer(self.event_log, **TransferMemberSchema().load(command))

    @rpc
    def change_member_status(self, command: dict[str, Any]) -> dict[str, Any]:
        """Record that a member became active, exempted, suspended or attached elsewhere."""
        with refusals(status_of):
            return members.change_status(self.event_log, **ChangeMemberStatusSchema().load(command))

    @rpc
    def end_membership(self, command: dict[str, Any]) -> dict[str, Any]:
        """Take a member off the rolls (expelled, struck off, withdrew, deceased...)."""
        with refusals(status_of):
            return members.end_membership(self.event_log, **EndMembershipSchema().load(command))

    @rpc
    def get_member(self, member_id: str) -> dict[str, Any]:
        """One member as they stand now, with the cells they have been in."""
        with refusals(status_of):
            return members.get(self.event_log.engine, member_id)

    @rpc
    def list_members(self, query: dict[str, Any]) -> dict[str, Any]:
        """Members now in a cell, or anywhere in a subtree (`subtree`: true), paginated."""
        with refusals(status_of):
            return members.list_members(self.event_log.engine, **ListMembersSchema().load(query))

    @rpc
    def get_roster(self, org_id: str, as_of: str) -> dict[str, Any]:
        """A cell's roster as it stood on `as_of` (ISO date), statuses of that day included."""
        with refusals(status_of):
            data = RosterQuerySchema().load({"org_id": org_id, "as_of": as_of})
            return members.get_roster(self.event_log.engine, **data)

"""RPC methods about yearly reviews and ratings."""

from __future__ import annotations

from typing import Any

from eventlog.rpc_entrypoint import rpc
from sessions import ratings
from sessions.rating_refusals import rating_refusals
from sessions.rating_schemas import RateCollectiveSchema, RateMemberSchema, RateMembersSchema
from sessions.schemas import ListRatingsSchema


class RatingRpc:
    event_log: Any

    @rpc
    def rate_members(self, command: dict[str, Any]) -> dict[str, Any]:
        """Rate members of one grassroots organisation for a year, all or nothing; each
        refusal names the rule (and rule set) that refused it, a malformed payload
        included (RatingInputMustBeWellFormed)."""
        with rating_refusals():
            data = RateMembersSchema().load(command)
            return ratings.rate_members(
                self.event_log, data["year"], data["rated_on"], data["ratings"], data["expected_version"]
            )

    @rpc
    def rate_member(self, command: dict[str, Any]) -> dict[str, Any]:
        """Rate one member for a year (a level, or a score under the 2025 rules)."""
        with rating_refusals():
            data = RateMemberSchema().load(command)
            request = {k: data[k] for k in ("member_id", "level", "score")}
            return ratings.rate_members(
                self.event_log, data["year"], data["rated_on"], [request], data["expected_version"]
            )

    @rpc
    def rate_collective(self, command: dict[str, Any]) -> dict[str, Any]:
        """Rate an organisation's collective for a year."""
        with rating_refusals():
            return ratings.rate_collective(self.event_log, **RateCollectiveSchema().load(command))

    @rpc
    def list_ratings(self, query: dict[str, Any]) -> dict[str, Any]:
        """Ratings by year, organisation subtree, subject kind and review flag; paginated."""
        with rating_refusals():
            return ratings.list_ratings(self.event_log.engine, **ListRatingsSchema().load(query))

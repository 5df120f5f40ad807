"""Review suggestions over RPC: made to a member below the body, open until answered."""

from __future__ import annotations

import json

import pytest
from nameko.exceptions import RemoteError


def refusal(raised: pytest.ExceptionInfo[RemoteError]) -> dict:
    assert raised.value.exc_type == "CommandRefused"
    return json.loads(raised.value.value)


SUGGESTION = {
    "suggestion_id": "gy-1",
    "suggesting_body_org_id": "dv",
    "suggesting_body_type": "standing_committee",
    "target_kind": "member",
    "target_id": "m1",
    "points": ["Chậm triển khai chương trình cho vay vốn nông nghiệp"],
    "suggested_on": "2024-05-02",
}


def test_a_review_suggestion_stays_open_until_answered(seeded):
    with seeded.rpc() as rpc:
        made = rpc.oversight.suggest_review(SUGGESTION)
        assert made["org_id"] == "cb1" and made["is_open"] is True
        assert any(e["type"] == "ReviewSuggested" for e in rpc.oversight.read_events(0, 100))
        with pytest.raises(RemoteError) as outside:
            rpc.oversight.suggest_review(
                {
                    **SUGGESTION,
                    "suggestion_id": "gy-2",
                    "suggesting_body_org_id": "cb2",
                    "suggesting_body_type": "committee",
                }
            )
        assert refusal(outside)["rule"] == "ReviewTargetMustBeInSuggestingBodysSubtree"
        assert [
            s["suggestion_id"] for s in rpc.oversight.list_review_suggestions(org_id="xa1", open_only=True)
        ] == ["gy-1"]

        answered = rpc.oversight.answer_review_suggestion(
            {
                "suggestion_id": "gy-1",
                "answered_on": "2024-06-15",
                "answered_in": "session",
                "reference": "Biên bản sinh hoạt chuyên đề quý II",
            }
        )
        assert answered["is_open"] is False and answered["answer"]["answered_in"] == "session"
        assert rpc.oversight.list_review_suggestions(org_id="xa1", open_only=True) == []
        with pytest.raises(RemoteError) as twice:
            rpc.oversight.answer_review_suggestion(
                {
                    "suggestion_id": "gy-1",
                    "answered_on": "2024-06-16",
                    "answered_in": "review",
                    "reference": "Kiểm điểm cuối năm",
                }
            )
        assert refusal(twice)["status"] == 409

"""Telling a subordinate plan that restates its parent's tasks from one adapted to the unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plans.domain.task_similarity import METHOD, dice, trigrams
from plans.domain.task_text import normalise_task_text


@dataclass(frozen=True)
class TaskMatch:
    """A child task paired with the parent task it restates."""

    child_task_id: str
    parent_task_id: str
    score: float


@dataclass(frozen=True)
class CopyDetectionPolicy:
    """When a plan counts as a copy; recorded with every flag so the decision can be judged."""

    pair_threshold: float = 0.8
    share_threshold: float = 0.7
    method: str = METHOD

    def __post_init__(self) -> None:
        for name in ("pair_threshold", "share_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value}")


@dataclass(frozen=True)
class CopyAssessment:
    """The outcome of comparing a child plan's tasks with its parent's."""

    matches: tuple[TaskMatch, ...]  # restated pairs only (score >= pair threshold)
    similarity: float  # mean one-to-one score over the child's tasks
    copied_share: float  # share of the child's tasks that restate a parent task
    flagged: bool
    policy: CopyDetectionPolicy


def assess_copy(
    child_tasks: Sequence[tuple[str, str]],
    parent_tasks: Sequence[tuple[str, str]],
    policy: CopyDetectionPolicy | None = None,
) -> CopyAssessment:
    """Compare (task_id, text) lists; each parent task may be matched by one child task.

    Pairs are matched greedily, best score first: a restated list pairs up almost
    one-to-one, and greedy matching cannot let ten vague child tasks all claim the
    same parent task.
    """
    policy = policy or CopyDetectionPolicy()
    child = [(task_id, trigrams(normalise_task_text(text))) for task_id, text in child_tasks]
    parent = [(task_id, trigrams(normalise_task_text(text))) for task_id, text in parent_tasks]
    scored = sorted(
        (
            (round(dice(c_grams, p_grams), 4), ci, pi)
            for ci, (_, c_grams) in enumerate(child)
            for pi, (_, p_grams) in enumerate(parent)
        ),
        key=lambda row: (-row[0], row[1], row[2]),
    )
    taken_child: dict[int, tuple[int, float]] = {}
    taken_parent: set[int] = set()
    for score, ci, pi in scored:
        if ci not in taken_child and pi not in taken_parent:
            taken_child[ci] = (pi, score)
            taken_parent.add(pi)
    matches = tuple(
        TaskMatch(child[ci][0], parent[pi][0], score)
        for ci, (pi, score) in sorted(taken_child.items())
        if score >= policy.pair_threshold
    )
    count = len(child)
    similarity = sum(score for _, score in taken_child.values()) / count if count else 0.0
    share = len(matches) / count if count else 0.0
    return CopyAssessment(
        matches=matches,
        similarity=round(similarity, 4),
        copied_share=round(share, 4),
        flagged=count > 0 and share >= policy.share_threshold,
        policy=policy,
    )

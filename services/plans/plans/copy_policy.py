"""The copy-detection thresholds, read from the service's config once at start (ADR 010)."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from plans.domain.copy_detection import CopyDetectionPolicy

DEFAULTS = CopyDetectionPolicy()


def copy_policy_from(config: dict[str, Any]) -> CopyDetectionPolicy:
    """The policy `COPY_PAIR_THRESHOLD` and `COPY_SHARE_THRESHOLD` describe (defaults if unset)."""
    return CopyDetectionPolicy(
        pair_threshold=float(config.get("COPY_PAIR_THRESHOLD", DEFAULTS.pair_threshold)),
        share_threshold=float(config.get("COPY_SHARE_THRESHOLD", DEFAULTS.share_threshold)),
    )


class CopyPolicy(DependencyProvider):
    """Hands each worker the configured CopyDetectionPolicy; a threshold outside (0, 1]
    stops the service from starting rather than judging plans by it."""

    policy: CopyDetectionPolicy

    def setup(self) -> None:
        self.policy = copy_policy_from(self.container.config)

    def get_dependency(self, worker_ctx: Any) -> CopyDetectionPolicy:
        return self.policy

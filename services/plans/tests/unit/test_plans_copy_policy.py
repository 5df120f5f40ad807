"""The copy-detection thresholds come from config.yml (ADR 010), not from code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from nameko.cli.main import setup_yaml_parser

from plans.copy_policy import CopyPolicy, copy_policy_from
from plans.domain import CopyDetectionPolicy, Plan, TaskSpec

CONFIG_YML = Path(__file__).resolve().parents[2] / "config.yml"
D = date

PARENT_TASKS = [
    "Quán triệt Kết luận số 21-KL/TW đến 100% cán bộ, đảng viên",
    "Tổ chức sinh hoạt chuyên đề tự soi, tự sửa ở tất cả chi bộ",
    "Kiểm tra, giám sát việc khắc phục hạn chế, khuyết điểm sau kiểm điểm",
]
# One task copied as it is (score 1.0), one with two words changed (0.86), one its own.
CHILD_TASKS = [
    "1. QUÁN TRIỆT KẾT LUẬN SỐ 21-KL/TW ĐẾN 100% CÁN BỘ, ĐẢNG VIÊN",
    "2. Tổ chức sinh hoạt chuyên đề tự soi, tự sửa ở các chi bộ trong xã",
    "Chi bộ ấp Phú Hòa rà soát 46 hồ sơ vay vốn chậm giải ngân, báo cáo trước 30/9/2023",
]


def issue(plan_id: str, org_id: str, texts: list[str], parent: Plan | None = None) -> Plan:
    return Plan.issue(
        plan_id=plan_id,
        org_id=org_id,
        number=f"{plan_id}-KH",
        issued_on=D(2023, 7, 1),
        title="Kế hoạch thực hiện Kết luận 21-KL/TW",
        implements_documents=["21-KL/TW"],
        required_unit_ids=[],
        deadline=D(2023, 12, 31),
        tasks=[TaskSpec(f"{plan_id}-{i}", t, "Văn phòng", D(2023, 12, 31)) for i, t in enumerate(texts)],
        issuer_subtree={org_id},
        parent_plan=parent,
        issuer_ancestors={"huyen"},
    )


class Container:
    """All the provider looks at in a service container: its config."""

    def __init__(self, config: dict) -> None:
        self.config = config


def read_config() -> dict:
    setup_yaml_parser()
    return yaml.safe_load(CONFIG_YML.read_text(encoding="utf-8"))


def flagged_under(config: dict) -> bool:
    parent = issue("kh-huyen", "huyen", PARENT_TASKS)
    child = issue("kh-xa", "xa", CHILD_TASKS, parent=parent)
    return child.check_against_parent(parent, D(2023, 8, 1), copy_policy_from(config)).flagged


def test_config_yml_holds_both_thresholds_with_the_adr_defaults(monkeypatch) -> None:
    monkeypatch.delenv("COPY_PAIR_THRESHOLD", raising=False)
    monkeypatch.delenv("COPY_SHARE_THRESHOLD", raising=False)
    config = read_config()

    assert config["COPY_PAIR_THRESHOLD"] == 0.8 and config["COPY_SHARE_THRESHOLD"] == 0.7
    assert copy_policy_from(config) == CopyDetectionPolicy()


def test_the_environment_overrides_the_thresholds(monkeypatch) -> None:
    monkeypatch.setenv("COPY_PAIR_THRESHOLD", "0.85")
    monkeypatch.setenv("COPY_SHARE_THRESHOLD", "0.95")

    policy = copy_policy_from(read_config())

    assert (policy.pair_threshold, policy.share_threshold) == (0.85, 0.95)


def test_a_changed_threshold_changes_the_verdict() -> None:
    assert not flagged_under({})  # 2 of 3 restated: 0.67 < the default share of 0.7
    assert flagged_under({"COPY_SHARE_THRESHOLD": "0.6"})
    # A stricter pair threshold leaves only the verbatim copy restated: 1 of 3.
    assert not flagged_under({"COPY_SHARE_THRESHOLD": 0.6, "COPY_PAIR_THRESHOLD": 0.9})


def test_the_provider_hands_workers_the_configured_policy() -> None:
    container = Container({"COPY_PAIR_THRESHOLD": 0.9, "COPY_SHARE_THRESHOLD": 0.5})
    provider = CopyPolicy().bind(container, "copy_policy")
    provider.setup()

    assert provider.get_dependency(None) == CopyDetectionPolicy(pair_threshold=0.9, share_threshold=0.5)


def test_a_threshold_outside_zero_to_one_stops_the_service_starting() -> None:
    container = Container({"COPY_SHARE_THRESHOLD": 1.5})  # held: the provider keeps a weak reference
    provider = CopyPolicy().bind(container, "copy_policy")
    with pytest.raises(ValueError, match="share_threshold"):
        provider.setup()

"""Hostile tests run against the gateway and every service in this process (gateway tests' system)."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gateway" / "tests"))

from gateway_system import GatewaySystem, running_gateway


@pytest.fixture(scope="module")
def gw(tmp_path_factory) -> Iterator[GatewaySystem]:
    """Every service and the gateway on SQLite, on a vhost of their own."""
    with running_gateway("sqlite", tmp_path_factory.mktemp("hostile")) as system:
        yield system


_summary: list[str] = []


@pytest.fixture
def report_line():
    """Lines a test wants shown at the end of the run, even when output is captured."""
    return _summary.append


def pytest_terminal_summary(terminalreporter) -> None:
    for line in _summary:
        terminalreporter.write_line(line)

"""Gateway test fixtures: the whole system once per module (it takes a few seconds to start)."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gateway_system import GatewaySystem, running_gateway


@pytest.fixture(scope="module")
def gw(tmp_path_factory) -> Iterator[GatewaySystem]:
    """Every service and the gateway on SQLite."""
    with running_gateway("sqlite", tmp_path_factory.mktemp("gw")) as system:
        yield system


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def gw_both(request, tmp_path_factory) -> Iterator[GatewaySystem]:
    """The same, once on SQLite and once on PostgreSQL."""
    with running_gateway(request.param, tmp_path_factory.mktemp("gw")) as system:
        yield system

"""No service imports another service's package: they talk only through RabbitMQ events
and RPC (ARCHITECTURE.md), and contracts are data, not shared code.

Checked on every Python file under `services/<name>/`, its tests included: a service's
own tests use contract-speaking stand-ins (`testing_support.stand_ins`), and flows across
real services are tested at the repository level, in `tests/cross_service/`. The shared
library every service depends on imports no service either.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / p.name / "__init__.py").is_file())
SKIPPED_DIRS = {".venv", "venv", "build", "dist", "__pycache__", "node_modules", ".git"}
DYNAMIC_IMPORTS = {"import_module", "__import__", "importorskip"}


def python_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*.py")):
        parts = set(path.relative_to(folder).parts[:-1])
        if not parts & SKIPPED_DIRS and not any(p.endswith(".egg-info") for p in parts):
            yield path


def imported_packages(source: str, filename: str = "<source>") -> Iterator[tuple[int, str]]:
    """(line, top-level package) of every absolute import in `source`, at any depth,
    including `importlib.import_module("x.y")` and `__import__("x")` with a literal name."""
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.Call) and node.args:
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", None)
            first = node.args[0]
            if name in DYNAMIC_IMPORTS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value.split(".")[0]


def foreign_imports(folder: Path, forbidden: set[str]) -> list[str]:
    found = []
    for path in python_files(folder):
        for line, package in imported_packages(path.read_text(encoding="utf-8"), str(path)):
            if package in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {package}")
    return found


def test_the_four_services_are_found():
    assert SERVICES == ["oversight", "plans", "reporting", "sessions"]


@pytest.mark.parametrize("service", SERVICES)
def test_no_file_of_a_service_imports_another_services_package(service):
    folder = ROOT / "services" / service
    assert any(folder.joinpath("tests").rglob("test_*.py")), "its tests are checked too"
    others = set(SERVICES) - {service}
    assert foreign_imports(folder, others) == [], (
        f"{service} may reach other services only over RabbitMQ: use a stand-in from "
        "testing_support.stand_ins, or move a flow across real services to tests/cross_service/"
    )


def test_the_shared_library_imports_no_service():
    assert foreign_imports(ROOT / "lib", set(SERVICES)) == []


def test_the_check_sees_every_form_of_import():
    source = """
import plans
import plans.service as p
from sessions.service import SessionsService
from . import sessions
from .oversight import x


def later():
    from oversight.tables import members
    import importlib
    importlib.import_module("reporting.service")
    __import__("plans.domain")
"""
    assert sorted(imported_packages(source)) == [
        (2, "plans"),
        (3, "plans"),
        (4, "sessions"),
        (10, "oversight"),
        (11, "importlib"),
        (12, "reporting"),
        (13, "plans"),
    ]

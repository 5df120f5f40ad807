"""What operators run: `make migrate` / the compose `migrate` job bring every store up
(the gateway's too), and `make run` names the address the gateway really listens on."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def packages_with_migrations() -> set[str]:
    folders = [*ROOT.glob("services/*/*/migrations/env.py"), *ROOT.glob("gateway/gateway/migrations/env.py")]
    return {folder.parent.parent.name for folder in folders}


def make_migrate_arguments() -> list[str]:
    dry_run = subprocess.run(["make", "-n", "migrate"], cwd=ROOT, capture_output=True, text=True, check=True)
    [line] = [line for line in dry_run.stdout.splitlines() if "-m eventlog.migrate" in line]
    return line.split("-m eventlog.migrate", 1)[1].split()


def compose_migrate_arguments() -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["migrate"]["command"]
    return command[command.index("eventlog.migrate") + 1 :]


def test_make_and_compose_migrate_every_package_that_has_migrations():
    expected = packages_with_migrations()

    assert "gateway" in expected
    assert set(make_migrate_arguments()) == expected
    assert set(compose_migrate_arguments()) == expected


def test_the_migrate_command_finds_every_packages_migrations(tmp_path):
    packages = sorted(packages_with_migrations())
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    env["EVENTLOG_VAR_DIR"] = str(tmp_path)

    subprocess.run([sys.executable, "-m", "eventlog.migrate", *packages], cwd=ROOT, env=env, check=True)

    for package in packages:
        with sqlite3.connect(tmp_path / f"{package}.db") as db:
            assert db.execute("SELECT version_num FROM alembic_version").fetchone(), package


def launcher():
    spec = importlib.util.spec_from_file_location("launch", ROOT / "ops" / "launch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("address", "url"),
    [
        (None, "http://127.0.0.1:8000/"),  # gateway/config.yml's default, 0.0.0.0:8000
        ("127.0.0.1:9123", "http://127.0.0.1:9123/"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080/"),
        ("gateway.internal:80", "http://gateway.internal:80/"),
        ("[::1]:8001", "http://[::1]:8001/"),
    ],
)
def test_the_launcher_prints_the_address_the_gateway_binds(address, url, monkeypatch):
    monkeypatch.setenv("GATEWAY_PORT", "1")  # not what the gateway reads: must be ignored
    if address is None:
        monkeypatch.delenv("GATEWAY_ADDRESS", raising=False)
    else:
        monkeypatch.setenv("GATEWAY_ADDRESS", address)

    assert launcher().gateway_url() == url

"""`python -m reporting.replay rebuild|verify` as an operator runs them: a separate
process, against running services on the broker and their databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import eventlog
import reporting
from eventlog.engine import make_engine
from reporting.audit import snapshot
from reporting.service import ReportingService

from .. import campaign
from .test_reporting_service import world  # noqa: F401  (the fixture)


def replay(system, *args: str) -> subprocess.CompletedProcess:
    paths = [str(Path(module.__file__).parents[1]) for module in (reporting, eventlog)]
    env = {
        **os.environ,
        "AMQP_URI": system.amqp_uri,
        "PYTHONPATH": os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "reporting.replay", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _tamper(url: str, sql: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def test_rebuild_and_verify_from_the_command_line(system, world):  # noqa: F811
    system.start(ReportingService)
    for batch in (campaign.tree(), campaign.first_half(), campaign.second_half()):
        world.record(batch)
    world.caught_up()
    live = world.reporting_url
    elsewhere = system.url_for("reporting-replayed")

    done = replay(system, "rebuild", "--database-url", live, "--target-url", elsewhere)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "events/s" in done.stderr and "oversight" in done.stderr  # the progress bar
    assert "figures equal to the live ones" in done.stdout
    assert "rebuilt from 26 events (plans: 13, sessions: 10, oversight: 3)" in done.stdout
    engines = [make_engine(live), make_engine(elsewhere)]
    assert snapshot(engines[0]) == snapshot(engines[1])

    direct = [f"--from-database={source}={url}" for source, url in world.producer_urls.items()]
    _tamper(live, "DELETE FROM report_facts WHERE metric = 'sessions.held' AND org_id = 'cell-3'")
    done = replay(system, "rebuild", "--database-url", live, *direct)
    assert done.returncode == 1, done.stdout + done.stderr  # the live store had lost a fact...
    assert "DIFFERS province / commune-2 / sessions.held: live 0, rebuilt 1" in done.stdout
    assert snapshot(engines[0]) == snapshot(engines[1])  # ...and the rebuild put it back
    again = replay(system, "rebuild", "--database-url", live, *direct)
    assert again.returncode == 0 and "figures equal to the live ones" in again.stdout
    # What get_report reads (the pre-aggregates) is compared too, not only the facts.
    _tamper(
        live,
        "UPDATE report_below_figures SET value = value + 1 WHERE org_id = 'district'"
        " AND metric = 'sessions.held' AND span = '2025-Y'",
    )
    done = replay(system, "rebuild", "--database-url", live, *direct)
    assert done.returncode == 1, done.stdout + done.stderr
    drift = "DIFFERS pre-aggregated:report_below_figures / district / sessions.held 2025-Y: live 3, rebuilt 2"
    assert drift in done.stdout.splitlines(), done.stdout
    assert snapshot(engines[0]) == snapshot(engines[1])

    past = replay(system, "rebuild", "--database-url", live, "--as-of", "2025-01-01T00:00:00Z")
    assert past.returncode == 2 and "--target-url" in past.stderr, past.stdout + past.stderr
    # Every event was recorded today: as of yesterday nothing was known, as of now everything.
    for instant, events in (("2000-01-01T00:00:00Z", 0), ("2999-01-01T00:00:00Z", 26)):
        target = system.url_for(f"reporting-as-of-{events}")
        past = replay(system, "rebuild", "--database-url", live, "--target-url", target, "--as-of", instant)
        assert past.returncode == 0, past.stdout + past.stderr
        assert f"rebuilt from {events} events" in past.stdout and "as of" in past.stdout, past.stdout
        assert "figures equal to the live ones" in past.stdout

    checked = replay(system, "verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines() == [
        "plans: ok, 13 events checked",
        "sessions: ok, 10 events checked",
        "oversight: ok, 3 events checked",
    ]
    _tamper(
        world.producer_urls["sessions"],
        "UPDATE event_log SET payload = replace(payload, '\"present\":15', '\"present\":51')",
    )
    checked = replay(system, "verify")
    assert checked.returncode == 1
    assert "plans: ok" in checked.stdout and "sessions: TAMPERED at position" in checked.stdout
    before = snapshot(engines[0])
    refused = replay(system, "rebuild", "--database-url", live)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "sessions: TAMPERED at position" in refused.stdout and "untouched" in refused.stdout
    assert snapshot(engines[0]) == before
    for engine in engines:
        engine.dispose()

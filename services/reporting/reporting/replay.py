"""Audit replay: `python -m reporting.replay rebuild|verify`.

rebuild  first checks every source's hash chain and refuses (exit 2, nothing touched) to
         replay a log that was tampered with; then drops reporting's projections and
         rebuilds them from every source's log (over RPC `read_events`, or straight from
         a source's database with --from-database), optionally "as of" an instant into a
         separate read store (--target-url); ends by comparing the rebuilt figures with
         the live ones (exit 1 if they differ).
verify   runs every service's hash-chain check (`verify_log`) and reports per service.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

from eventlog.engine import database_url, make_engine
from eventlog.migrations import upgrade
from eventlog.seal import seal_key
from eventlog.store import EventStore
from eventlog.verify import verify_log

from .audit import differences, snapshot
from .rebuild import Progress, Reader, log_reader, rebuild
from .report import normalise_instant

SOURCES = ("plans", "sessions", "oversight")


def _amqp() -> dict[str, str]:
    return {"AMQP_URI": os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")}


def chain_reports(direct: dict[str, str], sources: tuple[str, ...]) -> dict[str, dict]:
    """Each source's hash-chain check, from its database when given, else over RPC."""
    reports: dict[str, dict] = {}
    with ExitStack() as stack:
        rpc = None
        for source in sources:
            if source in direct:
                engine = make_engine(direct[source])
                stack.callback(engine.dispose)
                # The source's seal key, where this machine holds it (its environment
                # variable or key file, eventlog.seal): then forged rows are named too.
                found = verify_log(engine, seal_key=seal_key(source, create=False))
                reports[source] = found.to_dict()
            else:
                rpc = rpc or stack.enter_context(ClusterRpcProxy(_amqp(), timeout=300))
                reports[source] = getattr(rpc, source).verify_log()
    return reports


def print_chain_report(source: str, result: dict) -> None:
    if result["ok"]:
        print(f"{source}: ok, {result['checked']} events checked")
    else:
        print(f"{source}: TAMPERED at position {result['first_bad_position']}: {result['problem']}")


@contextmanager
def source_readers(
    direct: dict[str, str],
    sources: tuple[str, ...] = SOURCES,
) -> Iterator[tuple[dict[str, Reader], dict[str, int]]]:
    """(readers, heads) per source: a database URL reads the log directly (read-only,
    no broker round trip per page); anything else asks the service over RPC."""
    readers: dict[str, Reader] = {}
    heads: dict[str, int] = {}
    with ExitStack() as stack:
        rpc = None
        for source in sources:
            if source in direct:
                store = EventStore(make_engine(direct[source]))
                stack.callback(store.engine.dispose)
                readers[source] = log_reader(store.engine)
                heads[source] = store.head()
            else:
                rpc = rpc or stack.enter_context(ClusterRpcProxy(_amqp(), timeout=120))
                service = getattr(rpc, source)
                readers[source] = service.read_events
                heads[source] = int(service.log_head())
        yield readers, heads


def run_rebuild(args: argparse.Namespace) -> int:
    if args.as_of and not args.target_url:
        print(
            "--as-of rebuilds the past into a separate read store: give --target-url too"
            " (the live projections are never overwritten with past figures)",
            file=sys.stderr,
        )
        return 2
    direct = dict(item.split("=", 1) for item in args.from_database)
    sources = tuple(args.sources.split(","))
    if not args.skip_verify:
        chains = chain_reports(direct, sources)
        for source, result in chains.items():
            print_chain_report(source, result)
        if not all(result["ok"] for result in chains.values()):
            print("refusing to replay a log that was tampered with; the projections are untouched")
            return 2
    live = make_engine(args.database_url)
    as_of = normalise_instant(args.as_of) if args.as_of else None
    target = live
    if args.target_url:
        upgrade(Path(__file__).parent / "migrations", args.target_url)
        target = make_engine(args.target_url)
    before = snapshot(live, as_of)
    with source_readers(direct, sources) as (readers, heads):
        progress = Progress(sum(heads.values()))
        read = rebuild(target, readers, heads, as_of, progress)
        rate = progress.finish()
    print(
        f"rebuilt from {sum(read.values())} events ({', '.join(f'{s}: {n}' for s, n in read.items())})"
        f" at {rate:,.0f} events/s{' as of ' + as_of if as_of else ''}"
    )
    after = snapshot(target, as_of)
    found = differences(before, after)
    for line in found:
        print(f"DIFFERS {line}")
    print("figures equal to the live ones" if not found else f"{len(found)}+ figures differ")
    return 0 if not found else 1


def run_verify(args: argparse.Namespace) -> int:
    failed = 0
    with ClusterRpcProxy(_amqp(), timeout=300) as rpc:
        for source in args.sources.split(","):
            try:
                result = getattr(rpc, source).verify_log()
            except Exception as exc:  # a service that is down is reported, not fatal
                print(f"{source}: UNREACHABLE {type(exc).__name__}: {exc}")
                failed += 1
                continue
            failed += 0 if result["ok"] else 1
            print_chain_report(source, result)
    return 0 if not failed else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reporting.replay",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("rebuild", help="drop and rebuild the projections")
    build.add_argument("--as-of", help="only events recorded at or before this ISO instant")
    build.add_argument("--target-url", help="rebuild into this separate read store instead")
    build.add_argument(
        "--database-url",
        default=database_url("reporting"),
        help="the live read store (default: REPORTING_DATABASE_URL)",
    )
    build.add_argument(
        "--from-database",
        action="append",
        default=[],
        metavar="SERVICE=URL",
        help="read SERVICE's log straight from its database",
    )
    build.add_argument("--sources", default=",".join(SOURCES))
    build.add_argument(
        "--skip-verify",
        action="store_true",
        help="replay without checking the hash chains first (not for audits)",
    )
    check = commands.add_parser("verify", help="check every service's hash chain")
    check.add_argument("--sources", default=",".join(SOURCES))
    args = parser.parse_args(argv)
    return run_rebuild(args) if args.command == "rebuild" else run_verify(args)


if __name__ == "__main__":
    sys.exit(main())

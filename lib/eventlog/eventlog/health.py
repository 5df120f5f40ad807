"""`python -m eventlog.health SERVICE`: exit 0 if the service answers over RPC, else 1.

For container health checks. One `log_head` call (every service exposes it, see
`eventlog.rpc.EventLogRpc`) proves the service's container is running, consuming its
RPC queue and able to read its own database. The broker is `AMQP_URI` (default local).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


def log_head(service: str, amqp_uri: str, timeout: float) -> int:
    """The service's log head, asked over RPC; raises if it does not answer in time."""
    # Importing nameko imports eventlet, whose deprecation notice would fill the check's log.
    warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
    from nameko.standalone.rpc import ClusterRpcProxy

    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=timeout) as cluster:
        return int(getattr(cluster, service).log_head())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eventlog.health", description=__doc__)
    parser.add_argument("service", help="the nameko service name, e.g. plans")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the reply")
    args = parser.parse_args(argv)
    try:
        head = log_head(args.service, os.environ.get("AMQP_URI", DEFAULT_AMQP_URI), args.timeout)
    except Exception as exc:  # any failure means unhealthy; say which
        print(f"{args.service}: unhealthy ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    print(f"{args.service}: healthy (log head {head})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

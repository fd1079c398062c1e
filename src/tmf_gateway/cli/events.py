"""`tmf-gateway worker` and `tmf-gateway events ...`: run the dispatcher, inspect and replay."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from dataclasses import asdict
from typing import Any

from ..config import load_settings


def _dispatcher(background: bool = False) -> Any:
    from ..bootstrap import bootstrap

    return bootstrap(load_settings().with_overrides(background=background))


def _print(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        print(json.dumps(row, sort_keys=True))


def _list(args: argparse.Namespace) -> int:
    gateway = _dispatcher()
    status = "parked" if args.events_command == "parked" else args.status
    deliveries = gateway.services.events.deliveries(
        status, args.subscription, args.limit, args.offset
    )
    _print([asdict(d) for d in deliveries])
    return 0


def _attempts(args: argparse.Namespace) -> int:
    gateway = _dispatcher()
    _print([asdict(a) for a in gateway.services.events.attempts(args.id)])
    return 0


def _replay(args: argparse.Namespace) -> int:
    if not (args.id or args.subscription or args.all):
        print("tmf-gateway events replay: give --id, --subscription or --all")
        return 2
    gateway = _dispatcher()
    count = gateway.services.events.replay(args.id or None, args.subscription)
    print(json.dumps({"replayed": count}))
    return 0


def _backlog(_args: argparse.Namespace) -> int:
    from ..services.directory import with_directory_lag

    gateway = _dispatcher()
    services = gateway.services
    backlog = with_directory_lag(services.customer_directory, services.events.backlog())
    print(json.dumps(backlog, sort_keys=True))
    return 0


def _worker(args: argparse.Namespace) -> int:
    """Run only the background jobs (event delivery included) until SIGTERM or Ctrl-C."""
    from ..ops import logs

    gateway = _dispatcher()
    logs.configure(gateway.settings)  # the same log lines as `serve` (format and level)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print("tmf-gateway worker: running background jobs, each on its own thread", flush=True)
    gateway.runner.start()  # bulkheads: a hung legacy system holds only its own job
    while not stop.wait(args.poll):
        pass
    gateway.runner.stop()
    gateway.services.events.close()
    gateway.store.close()
    return 0


def add_parsers(sub: Any) -> None:
    """The `worker` and `events` sub-commands of the CLI."""
    worker = sub.add_parser("worker", help="run background jobs (event delivery) only")
    worker.add_argument("--poll", type=float, default=0.05,
                        help="seconds between checks for a stop signal")
    worker.set_defaults(func=_worker)
    events = sub.add_parser("events", help="event deliveries: list, parked, replay, backlog")
    events_sub = events.add_subparsers(dest="events_command", required=True)
    for name, helptext in (("list", "deliveries, oldest first"), ("parked", "parked deliveries")):
        cmd = events_sub.add_parser(name, help=helptext)
        if name == "list":
            cmd.add_argument("--status", choices=("pending", "delivered", "parked", "dropped"))
        cmd.add_argument("--subscription", help="only this subscription id")
        cmd.add_argument("--limit", type=int, default=100)
        cmd.add_argument("--offset", type=int, default=0)
        cmd.set_defaults(func=_list, status=None)
    attempts = events_sub.add_parser("attempts", help="every attempt of one delivery")
    attempts.add_argument("id", type=int, help="delivery id")
    attempts.set_defaults(func=_attempts)
    replay = events_sub.add_parser("replay", help="put parked deliveries back in line")
    replay.add_argument("--id", type=int, action="append", help="delivery id (repeatable)")
    replay.add_argument("--subscription", help="every parked delivery of this subscription")
    replay.add_argument("--all", action="store_true", help="every parked delivery")
    replay.set_defaults(func=_replay)
    backlog = events_sub.add_parser("backlog", help="how many deliveries are in each status")
    backlog.set_defaults(func=_backlog)

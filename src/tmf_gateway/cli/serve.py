"""`tmf-gateway serve`: the HTTP server, with graceful shutdown on SIGTERM."""

from __future__ import annotations

import argparse
from typing import Any

from .. import plugins
from ..config import load_settings
from ..extras import check_settings


def add_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="serve the TMF APIs over HTTP")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="server processes (default: setting)")
    serve.add_argument("--app", choices=("async", "flask"),
                       help="Connexion app class (default: setting `app`, async)")
    serve.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..server import serve

    settings = load_settings()
    check_settings(settings)
    # an unknown plugin is named here, once, rather than in each worker process
    plugins.load(plugins.STORAGE_GROUP, settings.store)
    plugins.load(plugins.SOUTHBOUND_GROUP, settings.southbound)
    return serve(
        settings.with_overrides(
            host=args.host or settings.host,
            port=args.port or settings.port,
            workers=args.workers or settings.workers,
            app=args.app or settings.app,
        )
    )

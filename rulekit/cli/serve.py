"""``rulekit serve``: the HTTP interface (see :mod:`rulekit.http`)."""

from __future__ import annotations

import argparse
import contextlib
import sys

from rulekit.http import RulekitServer


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` sub-command."""
    parser = sub.add_parser(
        "serve",
        help="serve the HTTP interface",
        description="Serve POST /v1/evaluate, GET /v1/certifications and GET /healthz.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (0: any)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    with RulekitServer((args.host, args.port), verbose=args.verbose) as server:
        host, port = server.server_address[:2]
        print(f"rulekit: serving on http://{host!s}:{port}", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0

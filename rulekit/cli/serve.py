"""``rulekit serve``: the HTTP service (:mod:`rulekit.web`), and its bearer tokens.

``rulekit serve [--host H] [--port P] [--workers N] [--tokens FILE] [--log PATH|URL]``
serves until interrupted. Without a token file (``--tokens`` or ``$RULEKIT_TOKENS``) there
is no authentication, so it listens on the loopback interface only, and says so.

``rulekit serve token add --role evaluate [--role record] [--role audit] --tokens FILE``
makes a token, prints it once on standard output and stores only its hash;
``token list`` shows ids and roles, ``token remove ID`` revokes one (a running server reads
the file again when it changes).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from rulekit.errors import RulekitError
from rulekit.log import LOG_ENV
from rulekit.web.settings import Settings
from rulekit.web.tokens import ROLES, TOKENS_ENV, add_token, read_tokens, remove_token


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 100000")
    return int(text)


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port from 0 to 65535")
    return int(text)


def _tokens_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tokens", type=Path, metavar="FILE", help=f"the token file (default: ${TOKENS_ENV})"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` sub-command and its ``token`` actions."""
    parser = sub.add_parser(
        "serve",
        help="serve the HTTP interface",
        description="Serve the HTTP API (GET /openapi.json describes it): POST /v1/evaluate "
        "and /v1/batch, GET /v1/certifications[/ID], /v1/decisions/SEQ[/replay], "
        "/v1/schemas/NAME, /healthz. Without a token file: no authentication, loopback only.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8080, help="port to listen on (0: any)")
    parser.add_argument("--workers", type=_positive, default=1, help="worker processes")
    _tokens_option(parser)
    parser.add_argument(
        "--log", metavar="PATH|URL", help=f"decision log for record=true (default: ${LOG_ENV})"
    )
    parser.add_argument(
        "--signing-key",
        type=Path,
        metavar="FILE",
        help="sign recorded decisions (default: $RULEKIT_SIGNING_KEY_FILE, $RULEKIT_SIGNING_KEY)",
    )
    parser.add_argument(
        "--public-key",
        type=Path,
        action="append",
        metavar="FILE",
        help="check signatures before showing or replaying a record (repeatable; "
        "default: $RULEKIT_PUBLIC_KEY)",
    )
    limits = parser.add_argument_group("limits")
    limits.add_argument("--backlog", type=_positive, default=2048, help="listen backlog")
    limits.add_argument(
        "--keep-alive", type=_positive, default=5, help="seconds an idle connection stays open"
    )
    limits.add_argument(
        "--head-timeout",
        type=_positive,
        default=10,
        help="seconds a client has to send each request head",
    )
    limits.add_argument(
        "--max-connections",
        type=_positive,
        default=1000,
        help="open connections per worker (at most half the file descriptors); then 503",
    )
    limits.add_argument(
        "--body-timeout",
        type=_positive,
        default=30,
        help="seconds a request body may stall before 408",
    )
    limits.add_argument(
        "--threads",
        type=_positive,
        default=2,
        help="threads per worker for the evaluations that leave the event loop (a dossier "
        "over 8 KiB, record=true, batches, what-ifs, audit reads): at most this many run "
        "at once, the others wait (bounds memory); a smaller dossier is evaluated on the "
        "event loop, one at a time",
    )
    parser.add_argument(
        "--no-access-log", action="store_true", help="no JSON line per request on stderr"
    )
    parser.set_defaults(run=run)

    actions = parser.add_subparsers(dest="serve_command", metavar="ACTION")
    token = actions.add_parser(
        "token", help="manage bearer tokens", description="Manage the service's bearer tokens."
    )
    token_actions = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    add = token_actions.add_parser(
        "add",
        help="make a token (printed once)",
        description="Make a token with the given roles, print it once, keep only its hash.",
    )
    add.add_argument("--role", action="append", choices=ROLES, required=True, help="repeatable")
    add.add_argument("--note", default="", help="who or what the token is for")
    _tokens_option(add)
    add.set_defaults(run=run_add)
    listing = token_actions.add_parser("list", help="show token ids and roles")
    _tokens_option(listing)
    listing.set_defaults(run=run_list)
    remove = token_actions.add_parser("remove", help="revoke a token by its id")
    remove.add_argument("id")
    _tokens_option(remove)
    remove.set_defaults(run=run_remove)


def _tokens_file(option: Path | None, *, required: bool) -> Path | None:
    if option is not None:
        return option
    text = os.environ.get(TOKENS_ENV)
    if text:
        return Path(text)
    if required:
        raise RulekitError(f"no token file named: use --tokens FILE or set {TOKENS_ENV}")
    return None


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    from rulekit.web.server import connection_cap, serve  # noqa: PLC0415 (web stack on use)

    tokens = _tokens_file(args.tokens, required=False)
    public = tuple(str(path) for path in args.public_key or ())
    settings = Settings(
        tokens_file=str(tokens) if tokens else None,
        log=args.log or os.environ.get(LOG_ENV) or None,
        signing_key_file=str(args.signing_key) if args.signing_key else None,
        public_key_files=public,
        body_timeout=float(args.body_timeout),
        access_log=not args.no_access_log,
        head_timeout=float(args.head_timeout),
        max_connections=connection_cap(args.max_connections),
        evaluation_threads=args.threads,
    )
    with contextlib.suppress(KeyboardInterrupt):
        serve(
            settings,
            host=args.host,
            port=args.port,
            workers=args.workers,
            backlog=args.backlog,
            keep_alive=args.keep_alive,
        )
    return 0


def run_add(args: argparse.Namespace) -> int:
    """Make a token; print it once (stdout) and what it may do (stderr)."""
    path = _tokens_file(args.tokens, required=True)
    assert path is not None
    token, entry = add_token(path, args.role, args.note)
    print(token)
    print(
        f"rulekit: token {entry.id} ({', '.join(entry.roles)}) added to {path}; it is shown "
        "only now, keep it secret",
        file=sys.stderr,
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print each token's id, roles, creation time and note (never a token)."""
    path = _tokens_file(args.tokens, required=True)
    assert path is not None
    for entry in read_tokens(path).values():
        print(f"{entry.id}\t{','.join(entry.roles)}\t{entry.created}\t{entry.note}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Revoke a token."""
    path = _tokens_file(args.tokens, required=True)
    assert path is not None
    entry = remove_token(path, args.id)
    print(f"rulekit: token {entry.id} removed from {path}", file=sys.stderr)
    return 0

"""Starting the service: uvicorn with the hardened protocol, N workers, the limits set.

The listening socket is bound here, before any worker starts, so that the address printed
is the one bound (port 0 picks a free port) and a port already taken is a clear error. The
workers each build the application from :data:`~rulekit.web.settings.SETTINGS_ENV`.
"""

from __future__ import annotations

import ipaddress
import os
import resource
import socket
import sys

import uvicorn
from uvicorn.supervisors import Multiprocess

from rulekit.errors import RulekitError
from rulekit.log.postgres import is_postgres_url, redact
from rulekit.web.app import create_app
from rulekit.web.settings import SETTINGS_ENV, Settings

APP = "rulekit.web.app:app_from_environment"
PROTOCOL = "rulekit.web.protocol:RulekitH11Protocol"
MAX_HEAD_BYTES = 16 * 1024
"""Largest request head (line and headers); a larger one gets a JSON 400."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names the loopback interface only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connection_cap(requested: int) -> int:
    """Return ``requested``, lowered to half the descriptors this process may open.

    The rest stay free for the log, the plugins and the connections that are being
    refused (each answered 503, then closed).
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return requested
    return max(1, min(requested, soft // 2))


def _shown_log(target: str | None) -> str:
    """The log as the start message names it: a PostgreSQL URL without its password."""
    if target is None:
        return "none (record=true refused)"
    return redact(target) if is_postgres_url(target) else target


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    backlog: int,
    keep_alive: int,
) -> None:
    """Serve until interrupted.

    :raises RulekitError: when the configuration is refused (no token file off loopback,
        an unreadable token file or key) or the address cannot be bound.
    """
    if settings.tokens_file is None and not is_loopback(host):
        raise RulekitError(
            f"refusing to listen on {host} without authentication: give a token file "
            "(--tokens FILE or $RULEKIT_TOKENS), or listen on 127.0.0.1"
        )
    create_app(settings)  # a bad token file or key fails here, before any worker starts
    os.environ[SETTINGS_ENV] = settings.to_env()
    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=PROTOCOL,
        lifespan="off",
        backlog=backlog,
        timeout_keep_alive=keep_alive,
        timeout_graceful_shutdown=10,
        access_log=False,
        server_header=False,
        log_config=None,
        log_level="warning",
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
    )
    try:
        sock = config.bind_socket()
    except SystemExit:
        raise RulekitError(f"cannot listen on {host}:{port}") from None
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if sock.family == socket.AF_INET6 else bound_host
    auth = (
        f"bearer tokens from {settings.tokens_file}"
        if settings.tokens_file
        else "no token file: no authentication, so loopback only"
    )
    print(
        f"rulekit: serving on http://{shown}:{bound_port} with {workers} worker(s); {auth}; "
        f"decision log: {_shown_log(settings.log)}",
        file=sys.stderr,
        flush=True,
    )
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run(sockets=[sock])

"""What one HTTP service is configured with, passed whole to each worker process.

uvicorn starts ``--workers N`` processes that each import the application anew, so the
settings travel in one environment variable (:data:`SETTINGS_ENV`, JSON) that
``rulekit serve`` sets before starting them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from attrs import asdict, field, frozen

from rulekit.dossier_io import MAX_BYTES

SETTINGS_ENV = "RULEKIT_WEB_SETTINGS"


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value)


@frozen
class Settings:
    """The service's files and limits (module doc); every size in bytes, time in seconds."""

    tokens_file: str | None = None
    """The token file (:mod:`rulekit.web.tokens`); ``None``: no authentication (loopback)."""
    log: str | None = None
    """The decision log (path or URL) for ``record=true`` and the auditors' endpoints."""
    signing_key_file: str | None = None
    """The key that signs recorded decisions; ``None``: the environment's, else unsigned."""
    public_key_files: tuple[str, ...] = field(default=(), converter=_strings)
    """Keys that recorded decisions must be signed with before they are shown or replayed."""
    max_body_bytes: int = MAX_BYTES
    """Largest ``POST /v1/evaluate`` body, and largest line of a batch: a dossier's limit."""
    max_batch_bytes: int = 64 * 1024 * 1024
    """Largest ``POST /v1/batch`` body."""
    max_batch_lines: int = 10_000
    """Most dossiers in one batch request."""
    body_timeout: float = 30.0
    """Longest wait for the next part of a request body (a stalled upload gets 408)."""
    access_log: bool = True
    """One JSON line per request on the ``rulekit.web.access`` logger."""
    head_timeout: float = 10.0
    """Longest wait for a request head (:class:`rulekit.web.protocol.Limits`)."""
    max_connections: int = 1000
    """Open connections per worker beyond which a new one gets 503 (protocol limits)."""
    evaluation_threads: int = 2
    """Threads per worker for the work that leaves the event loop (a dossier over
    :data:`rulekit.web.app.INLINE_BYTES`, ``record=true``, batches, what-ifs, audit reads);
    more such requests wait their turn (memory bound)."""

    def to_env(self) -> str:
        """Return the settings as the JSON :func:`from_environment` reads."""
        return json.dumps(asdict(self), sort_keys=True)


def from_environment(environ: Mapping[str, str] | None = None) -> Settings:
    """Return the settings ``rulekit serve`` passed to this worker (defaults when none)."""
    env = os.environ if environ is None else environ
    text = env.get(SETTINGS_ENV)
    if not text:
        return Settings()
    values: dict[str, Any] = json.loads(text)
    return Settings(**values)

"""Error answers of the HTTP service: ``rulekit.errors/1`` JSON for every status, never HTML.

The body has the shape the command line prints with ``--format json`` (README, "Evaluate
a dossier"): ``{"format": "rulekit.errors/1", "errors": [{"path", "message"}, ...]}``,
with ``error_count`` (how many problems there were) and the request id, so that an
operator can find the access-log line of any answer. At most :data:`MAX_LISTED` errors
are listed: a hostile body of thousands of unknown keys must not turn into an answer
several times its size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from rulekit.errors import InputError

ERRORS_FORMAT = "rulekit.errors/1"
MAX_LISTED = 100
"""Errors listed in one answer; ``error_count`` says how many there were in all."""

JSON_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    """An answer other than success: its status, the problems, and extra headers."""

    def __init__(
        self,
        status: int,
        errors: Iterable[InputError],
        headers: Mapping[str, str] | None = None,
        *,
        count: int | None = None,
    ) -> None:
        self.status = status
        self.errors = tuple(errors)
        self.count = len(self.errors) if count is None else count
        """How many problems there were in all (a DossierError lists at most 100)."""
        self.headers = dict(headers or {})
        super().__init__("; ".join(str(error) for error in self.errors))


def problem(status: int, path: str, message: str, **headers: str) -> ApiError:
    """Return an :class:`ApiError` with one problem (``headers`` use ``_`` for ``-``)."""
    named = {key.replace("_", "-"): value for key, value in headers.items()}
    return ApiError(status, [InputError(path, message)], named)


def errors_payload(
    errors: Iterable[InputError], request_id: str | None, count: int | None = None
) -> dict[str, Any]:
    """Return the ``rulekit.errors/1`` object listing at most :data:`MAX_LISTED` errors.

    ``count``: how many there were, when ``errors`` lists only some of them.
    """
    every = list(errors)
    payload: dict[str, Any] = {
        "format": ERRORS_FORMAT,
        "errors": [{"path": e.path, "message": e.message} for e in every[:MAX_LISTED]],
        "error_count": len(every) if count is None else count,
    }
    if request_id is not None:
        payload["request_id"] = request_id
    return payload


def json_bytes(payload: Any) -> bytes:
    """Return ``payload`` as compact UTF-8 JSON ending with a newline.

    Text that is not Unicode (a lone UTF-16 surrogate copied from a hostile body into an
    error message) is written as a JSON escape rather than failing to encode: the answer
    is always sent.
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        safe = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        return (safe + "\n").encode("ascii")

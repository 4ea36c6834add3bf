"""A small HTTP interface for systems that embed rulekit over the network (JSON in and out).

Endpoints (all JSON, UTF-8):

- ``POST /v1/evaluate`` with a dossier as body; query parameters ``as_of`` (default today
  in France, resolved per request), ``certification``, ``track``, ``ruleset_version``.
  200 with the decision (eligible or not), 422 with ``rulekit.errors/1`` for a bad dossier,
  404 for an unknown certification or track, 400 for bad parameters, 413 for a body over the
  dossier size limit.
- ``GET /v1/certifications``: what is installed (as ``rulekit certifications --format json``).
- ``GET /healthz``: ``{"status": "ok"}``.

It uses the standard library's threading server: meant for an internal network behind a
reverse proxy, not as a public web server.
"""

from __future__ import annotations

import json
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rulekit.api import evaluate, today
from rulekit.calendar import parse_iso_date
from rulekit.codec import decision_to_dict
from rulekit.dossier_io import MAX_BYTES
from rulekit.errors import (
    DossierError,
    InputError,
    RulekitError,
    UnknownCertification,
    UnknownTrack,
)
from rulekit.listing import installed_listing
from rulekit.registry import Registry, default_registry

_PARAMETERS = frozenset({"as_of", "certification", "track", "ruleset_version"})


def _errors(errors: tuple[InputError, ...] | list[InputError]) -> dict[str, Any]:
    return {
        "format": "rulekit.errors/1",
        "errors": [{"path": e.path, "message": e.message} for e in errors],
    }


def handle_evaluate(
    body: bytes, query: dict[str, list[str]], registry: Registry
) -> tuple[HTTPStatus, dict[str, Any]]:
    """Evaluate one request; return the status and JSON payload (no I/O: easy to test)."""
    unknown = sorted(set(query) - _PARAMETERS)
    repeated = sorted(key for key, values in query.items() if len(values) > 1)
    problems = [InputError(f"?{key}", "unknown parameter") for key in unknown]
    problems += [InputError(f"?{key}", "given more than once") for key in repeated]
    options = {key: values[0] for key, values in query.items()}
    as_of: date = today()
    if "as_of" in options:
        try:
            as_of = parse_iso_date(options["as_of"])
        except ValueError as exc:
            problems.append(InputError("?as_of", str(exc)))
    if problems:
        return HTTPStatus.BAD_REQUEST, _errors(problems)
    try:
        decision = evaluate(
            body,
            certification=options.get("certification"),
            track=options.get("track"),
            as_of=as_of,
            ruleset_version=options.get("ruleset_version"),
            registry=registry,
        )
    except DossierError as exc:
        return HTTPStatus.UNPROCESSABLE_ENTITY, _errors(exc.errors)
    except UnknownCertification as exc:
        return HTTPStatus.NOT_FOUND, _errors([_named("certification", options, exc)])
    except UnknownTrack as exc:
        return HTTPStatus.NOT_FOUND, _errors([_named("track", options, exc)])
    except RulekitError as exc:
        return HTTPStatus.NOT_FOUND, _errors([InputError("?ruleset_version", str(exc))])
    return HTTPStatus.OK, decision_to_dict(decision)


def _named(name: str, options: dict[str, str], error: RulekitError) -> InputError:
    """The error of an unknown name, at the parameter that gave it or else the dossier field."""
    return InputError(f"?{name}" if name in options else name, str(error))


class RulekitHandler(BaseHTTPRequestHandler):
    """Routes requests to the handlers above; the registry comes from the server."""

    server: RulekitServer
    server_version = "rulekit"

    def _send(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        data = (json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        """Serve the listing and the health check."""
        path = urlsplit(self.path).path
        if path == "/healthz":
            self._send(HTTPStatus.OK, {"status": "ok"})
        elif path == "/v1/certifications":
            self._send(HTTPStatus.OK, installed_listing(self.server.registry))
        else:
            self._send(HTTPStatus.NOT_FOUND, _errors([InputError("$", f"no route {path}")]))

    def do_POST(self) -> None:
        """Evaluate the dossier in the body."""
        parts = urlsplit(self.path)
        if parts.path != "/v1/evaluate":
            self._send(HTTPStatus.NOT_FOUND, _errors([InputError("$", f"no route {parts.path}")]))
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send(
                HTTPStatus.LENGTH_REQUIRED, _errors([InputError("$", "Content-Length required")])
            )
            return
        if length < 0 or length > MAX_BYTES:
            self._send(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                _errors([InputError("$", f"dossier is larger than {MAX_BYTES} bytes")]),
            )
            return
        body = self.rfile.read(length)
        status, payload = handle_evaluate(
            body, parse_qs(parts.query, keep_blank_values=True), self.server.registry
        )
        self._send(status, payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep request logs off standard error unless the server is verbose."""
        if self.server.verbose:
            super().log_message(format, *args)


class RulekitServer(ThreadingHTTPServer):
    """The HTTP server, holding the registry built once at start."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], registry: Registry | None = None, *, verbose: bool = False
    ) -> None:
        super().__init__(address, RulekitHandler)
        self.registry = registry or default_registry()
        self.verbose = verbose

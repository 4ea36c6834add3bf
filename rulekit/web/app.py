"""The Starlette application: routes, authentication, request ids, access logs, errors.

Every answer that is not a success is ``rulekit.errors/1`` JSON (:mod:`rulekit.web.errors`),
whatever went wrong: no route (404), a wrong method (405 with ``Allow``), a missing or bad
token (401 with ``WWW-Authenticate``, 403), and an internal error, which is a JSON 500
naming the request id whose traceback went to the server's log, never to the client.

Each request gets an id (the client's ``X-Request-Id`` when it is a short token of safe
characters, else a new one), sent back in ``X-Request-Id`` and written with one JSON line
per request on the ``rulekit.web.access`` logger.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import os
import re
import sys
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rulekit.api import today
from rulekit.errors import InputError
from rulekit.registry import Registry, default_registry
from rulekit.schemas import load_schema
from rulekit.version import ENGINE_VERSION
from rulekit.web import inputs
from rulekit.web.errors import JSON_TYPE, ApiError, errors_payload, json_bytes, problem
from rulekit.web.openapi import openapi_document
from rulekit.web.protocol import Limits, configure
from rulekit.web.service import BatchState, Options, Service
from rulekit.web.settings import Settings, from_environment
from rulekit.web.tokens import TokenStore

ACCESS_LOG = logging.getLogger("rulekit.web.access")
ERROR_LOG = logging.getLogger("rulekit.web")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}", re.ASCII)
EVALUATE_PARAMETERS = ("as_of", "certification", "track", "ruleset_version", "record")
SCHEMAS = ("dossier", "decision")
MAX_SEQ = 2**63 - 1
INLINE_BYTES = 8 * 1024
"""Largest body ``POST /v1/evaluate`` evaluates on the event loop rather than in a thread.

Handing a dossier to a worker thread and back costs more than evaluating a small one
(about 0.1 ms of hops and lock traffic against well under a millisecond of work), and
holds the loop no longer than a few milliseconds. A larger body, or one to record (a
log write that may wait on disk or the network), goes to the bounded threads."""


class JsonResponse(Response):
    """A JSON answer written by :func:`~rulekit.web.errors.json_bytes` (compact, UTF-8)."""

    media_type = JSON_TYPE

    def render(self, content: Any) -> bytes:
        """Return the JSON bytes of ``content``."""
        return json_bytes(content)


def _request_id(request: Request) -> str:
    value: str = request.scope.get("state", {}).get("request_id", "-")
    return value


def error_response(request: Request, exc: ApiError) -> Response:
    """Return the JSON answer of ``exc``, with its headers."""
    payload = errors_payload(exc.errors, _request_id(request), exc.count)
    return JsonResponse(payload, status_code=exc.status, headers=exc.headers)


# Middleware


def _new_ids() -> None:
    """Start this process's request ids: a random prefix of its own, then a counter."""
    global _ID_PREFIX, _ID_COUNTER  # noqa: PLW0603 - one sequence per process, forks included
    _ID_PREFIX = os.urandom(8).hex()
    _ID_COUNTER = itertools.count(1)


_ID_PREFIX = ""
_ID_COUNTER = itertools.count(1)
_new_ids()
os.register_at_fork(after_in_child=_new_ids)


def new_request_id() -> str:
    """Return a new request id: 32 hex digits, unique to this process and request.

    16 random digits drawn once per process (so that two workers never give the same
    id), then a counter: no random draw, no UUID object per request.
    """
    return f"{_ID_PREFIX}{next(_ID_COUNTER):016x}"


class ServiceMiddleware:
    """Request id, access log and the last line of defence: an internal error is a JSON 500."""

    def __init__(self, app: ASGIApp, access_log: bool = True) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (other ASGI events pass through)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = b""
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                given = value
                break
        request_id = given.decode("latin-1") if given else ""
        if not _REQUEST_ID.fullmatch(request_id):
            request_id = new_request_id()
        id_header = (b"x-request-id", request_id.encode("ascii"))
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 0
        size = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), id_header]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            ERROR_LOG.exception("internal error in request %s", request_id)
            if not status:
                error = InputError("$", f"internal error; the server log has request {request_id}")
                body = json_bytes(errors_payload([error], request_id))
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", JSON_TYPE.encode()),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send_with_id({"type": "http.response.body", "body": body})
        finally:
            if self.access_log and ACCESS_LOG.isEnabledFor(logging.INFO):
                _log(scope, request_id, status, size, time.perf_counter() - started)


def _log(scope: Scope, request_id: str, status: int, size: int, elapsed: float) -> None:
    """Write the request's access-log line (JSON, ASCII only).

    The record is made here and handed to the logger's handlers, which is what
    ``Logger.info`` does after looking up its caller in the stack: the caller is known.
    """
    client = scope.get("client")
    line = {
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "request_id": request_id,
        "method": scope["method"],
        "path": scope["path"],
        "query": scope.get("query_string", b"").decode("latin-1")[:512],
        "status": status,
        "bytes": size,
        "ms": round(elapsed * 1000, 3),
        "client": client[0] if client else None,
        "token": scope["state"].get("token"),
    }
    data = orjson.dumps(line)
    text = (
        data.decode("ascii")
        if data.isascii()
        else json.dumps(line, ensure_ascii=True, separators=(",", ":"))
    )
    record = ACCESS_LOG.makeRecord(ACCESS_LOG.name, logging.INFO, __file__, 0, text, (), None)
    ACCESS_LOG.handle(record)


# Authentication


def authorize(request: Request, *roles: str) -> None:
    """Refuse a request without a bearer token holding every role in ``roles``.

    Without a token file there is no authentication: the server then listens on the
    loopback interface only (:mod:`rulekit.cli.serve`).

    :raises ApiError: 401 no or unknown token, 403 a token without one of the roles.
    """
    store: TokenStore | None = request.app.state.tokens
    if store is None:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    challenge = 'Bearer realm="rulekit"'
    if scheme.lower() != "bearer" or not token.strip():
        raise problem(401, "Authorization", "a bearer token is needed", www_authenticate=challenge)
    entry = store.find(token.strip())
    if entry is None:
        raise problem(
            401,
            "Authorization",
            "unknown token",
            www_authenticate=f'{challenge}, error="invalid_token"',
        )
    request.scope["state"]["token"] = entry.id
    missing = [role for role in roles if role not in entry.roles]
    if missing:
        raise problem(403, "Authorization", f"this token lacks the role {', '.join(missing)}")


# Routes


T = TypeVar("T")


async def in_thread(request: Request, func: Callable[..., T], *args: Any) -> T:
    """Run ``func(*args)`` in a worker thread, at most ``evaluation_threads`` at once.

    Used for what may hold the loop long: a large dossier (over :data:`INLINE_BYTES`), a
    recorded one, batches, what-ifs, the log's reads.

    Evaluations are CPU work under one interpreter lock: more threads than a few give no
    speed, only memory (a hostile 5 MB dossier of unknown keys peaks near 110 MB while
    its errors are collected), so each process bounds them and queues the rest.
    """
    limiter: anyio.CapacityLimiter | None = request.app.state.limiter
    if limiter is None:
        limiter = anyio.CapacityLimiter(_service(request).settings.evaluation_threads)
        request.app.state.limiter = limiter
    return await anyio.to_thread.run_sync(functools.partial(func, *args), limiter=limiter)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _options(request: Request) -> Options:
    given = inputs.query(request, EVALUATE_PARAMETERS)
    record = inputs.flag(given, "record")
    if record:
        authorize(request, "evaluate", "record")
    return Options(
        as_of=inputs.day(given, "as_of") or today(),
        certification=inputs.certification(given),
        track=inputs.track(given),
        ruleset_version=inputs.ruleset_version(given),
        record=record,
    )


async def evaluate(request: Request) -> Response:
    """``POST /v1/evaluate``: the decision for the dossier in the body."""
    authorize(request, "evaluate")
    options = _options(request)
    inputs.content_type(request, inputs.JSON_TYPES)
    service = _service(request)
    settings = service.settings
    data = await inputs.body(request, settings.max_body_bytes, settings.body_timeout)
    if len(data) <= INLINE_BYTES and not options.record:
        result = service.evaluate(data, options)
    else:
        result = await in_thread(request, service.evaluate, data, options)
    if result.record is None:
        return Response(result.decision, media_type=JSON_TYPE)
    seq = result.record.seq
    headers = {
        "Location": f"/v1/decisions/{seq}",
        "X-Rulekit-Record": str(seq),
        "X-Rulekit-Record-Hash": result.record.hash,
    }
    return Response(result.decision, status_code=201, media_type=JSON_TYPE, headers=headers)


async def whatif(request: Request) -> Response:
    """``POST /v1/whatif``: the decision as if a plan happened, against today's."""
    authorize(request, "evaluate")
    options = _options(request)
    if options.record:
        raise problem(400, "?record", "a simulation is never recorded")
    inputs.content_type(request, inputs.JSON_TYPES)
    service = _service(request)
    settings = service.settings
    data = await inputs.body(request, settings.max_body_bytes, settings.body_timeout)
    answer = await in_thread(request, service.whatif, data, options)
    return Response(answer, media_type=JSON_TYPE)


class JsonLinesStream(Response):
    """A JSON Lines answer sent as its lines are made (no length: chunked).

    Unlike Starlette's streaming answer, it does not listen for a disconnect while it
    sends (which would read, and lose, the request body under ASGI 2.3). A client that
    stops reading for ``send_timeout`` seconds is cut off, so that it cannot hold a
    worker's connection and memory for ever.
    """

    media_type = "application/x-ndjson"

    def __init__(self, lines: AsyncGenerator[bytes, None], send_timeout: float) -> None:
        super().__init__(None, status_code=200)
        self.lines = lines
        self.send_timeout = send_timeout
        del self.headers["content-length"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the head, then each line as it comes."""
        messages: list[Message] = [
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        ]
        try:
            async for line in self.lines:
                messages.append({"type": "http.response.body", "body": line, "more_body": True})
                await self._send_all(send, messages)
            messages.append({"type": "http.response.body", "body": b"", "more_body": False})
            await self._send_all(send, messages)
        except TimeoutError:
            ERROR_LOG.warning(
                "batch answer abandoned: the client read nothing for %g s (request %s)",
                self.send_timeout,
                scope["state"].get("request_id"),
            )
        finally:
            await self.lines.aclose()

    async def _send_all(self, send: Send, messages: list[Message]) -> None:
        with anyio.fail_after(self.send_timeout):
            while messages:
                await send(messages.pop(0))


async def batch(request: Request) -> Response:
    """``POST /v1/batch``: JSON Lines of dossiers in, one answer line each, then a summary."""
    authorize(request, "evaluate")
    options = _options(request)
    inputs.content_type(request, inputs.JSON_LINES_TYPES)
    service = _service(request)
    settings = service.settings
    if options.record:
        service.require_log()
    spool = await inputs.spooled_body(request, settings.max_batch_bytes, settings.body_timeout)
    request_id = _request_id(request)

    async def lines() -> AsyncGenerator[bytes, None]:
        state = BatchState(request=request_id)
        try:
            while not state.done:
                for line in await in_thread(request, service.batch_group, spool, options, state):
                    yield line
        except Exception:
            ERROR_LOG.exception("internal error in batch request %s", request_id)
            error = InputError("$", f"internal error; the server log has request {request_id}")
            yield json_bytes(
                {"line": state.line, "status": 500, "error": errors_payload([error], request_id)}
            )
        finally:
            spool.close()

    return JsonLinesStream(lines(), settings.body_timeout)


async def listing(request: Request) -> Response:
    """``GET /v1/certifications``: what is installed, with plugins and problems."""
    inputs.query(request, ())
    return JsonResponse(_service(request).listing())


async def certification(request: Request) -> Response:
    """``GET /v1/certifications/{id}``: the catalogue of one certification."""
    given = inputs.query(request, ("as_of", "ruleset_version"))
    key = request.path_params["id"]
    if inputs.CERTIFICATION_ID.fullmatch(key) is None:
        raise problem(404, "{id}", f"{key!r} is not a certification id (e.g. casp_36625)")
    as_of = inputs.day(given, "as_of") or today()
    service = _service(request)
    return JsonResponse(service.catalogue(key, as_of, inputs.ruleset_version(given)))


def _seq(request: Request) -> int:
    text: str = request.path_params["seq"]
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not 1 <= int(text) <= MAX_SEQ:
        raise problem(400, "{seq}", f"{text!r} is not a record number (1, 2, ... up to {MAX_SEQ})")
    return int(text)


async def decision(request: Request) -> Response:
    """``GET /v1/decisions/{seq}``: a recorded decision and its dossier, chain verified."""
    authorize(request, "audit")
    given = inputs.query(request, ("format", "lang"))
    shape = inputs.choice(given, "format", ("json", "html"))
    lang = inputs.choice(given, "lang", ("fr", "en"))
    seq = _seq(request)
    service = _service(request)
    if shape == "html":
        page = await in_thread(request, service.decision_page, seq, lang)
        return Response(page, media_type="text/html; charset=utf-8")
    return JsonResponse(await in_thread(request, service.decision, seq))


async def replay(request: Request) -> Response:
    """``GET /v1/decisions/{seq}/replay``: replay it exactly, or with ``rules_as_of``'s rules."""
    authorize(request, "audit")
    given = inputs.query(request, ("rules_as_of",))
    rules_as_of = inputs.day(given, "rules_as_of")
    seq = _seq(request)
    service = _service(request)
    return JsonResponse(await in_thread(request, service.replay, seq, rules_as_of))


async def schema(request: Request) -> Response:
    """``GET /v1/schemas/{name}``: the JSON Schema of the dossier or the decision."""
    inputs.query(request, ())
    name = request.path_params["name"].removesuffix(".schema.json").removesuffix(".json")
    if name not in SCHEMAS:
        raise problem(404, "{name}", f"no schema {name!r}; there are: {', '.join(SCHEMAS)}")
    return JsonResponse(load_schema(name), media_type="application/schema+json")


async def openapi(request: Request) -> Response:
    """``GET /openapi.json``: the OpenAPI 3.1 document of this service."""
    inputs.query(request, ())
    document: dict[str, Any] = request.app.state.openapi
    return JsonResponse(document)


async def healthz(request: Request) -> Response:
    """``GET /healthz``: the process is up and answering."""
    return JsonResponse({"status": "ok", "engine_version": ENGINE_VERSION})


# Errors


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if "Allow" in headers:  # Starlette lists a set: sorted, the same whatever the hash seed
        headers["Allow"] = ", ".join(sorted(m.strip() for m in headers["Allow"].split(",")))
    if exc.status_code == 405 and request.method == "OPTIONS":
        return Response(status_code=204, headers=headers)
    if exc.status_code == 404:
        error = problem(404, "$", f"no route {request.url.path}")
    elif exc.status_code == 405:
        allowed = headers.get("Allow", "")
        error = problem(405, "$", f"method {request.method} not allowed; allowed: {allowed}")
    else:
        error = problem(exc.status_code, "$", exc.detail)
    error.headers.update(headers)
    return error_response(request, error)


ROUTES = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/openapi.json", openapi, methods=["GET"]),
    Route("/v1/evaluate", evaluate, methods=["POST"]),
    Route("/v1/batch", batch, methods=["POST"]),
    Route("/v1/whatif", whatif, methods=["POST"]),
    Route("/v1/certifications", listing, methods=["GET"]),
    Route("/v1/certifications/{id}", certification, methods=["GET"]),
    Route("/v1/decisions/{seq}", decision, methods=["GET"]),
    Route("/v1/decisions/{seq}/replay", replay, methods=["GET"]),
    Route("/v1/schemas/{name}", schema, methods=["GET"]),
]

Handler = Callable[[Request, Exception], Awaitable[Response]]


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> Starlette:
    """Return the application serving ``registry`` (the installed plugins by default).

    :raises rulekit.RulekitError: when the token file or a key cannot be read.
    """
    chosen = settings or Settings()
    tokens = TokenStore(Path(chosen.tokens_file)) if chosen.tokens_file else None
    service = Service(chosen, registry or default_registry())
    handlers: dict[Any, Handler] = {ApiError: _api_error, HTTPException: _http_error}
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(ServiceMiddleware, access_log=chosen.access_log)],
        exception_handlers=handlers,
    )
    app.state.service = service
    app.state.tokens = tokens
    app.state.openapi = openapi_document()
    app.state.limiter = None  # made on first use, inside the event loop
    return app


def app_from_environment() -> Starlette:
    """The application of one uvicorn worker, with the settings ``rulekit serve`` passed.

    It also sets this worker's connection limits and its logs (standard error).
    """
    settings = from_environment()
    configure(Limits(head_timeout=settings.head_timeout, max_connections=settings.max_connections))
    configure_logging()
    return create_app(settings)


def configure_logging() -> None:
    """Send the access log (JSON lines) and internal errors to standard error, once."""
    if getattr(configure_logging, "done", False):
        return
    access = logging.StreamHandler(sys.stderr)
    access.setFormatter(logging.Formatter("%(message)s"))
    ACCESS_LOG.addHandler(access)
    ACCESS_LOG.setLevel(logging.INFO)
    ACCESS_LOG.propagate = False
    errors = logging.StreamHandler(sys.stderr)
    errors.setFormatter(logging.Formatter("rulekit: %(levelname)s: %(message)s"))
    ERROR_LOG.addHandler(errors)
    ERROR_LOG.propagate = False
    configure_logging.done = True  # type: ignore[attr-defined]

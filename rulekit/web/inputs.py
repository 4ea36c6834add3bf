"""Reading what a request gives: query parameters, content types, bodies, all bounded.

Every refusal is an :class:`~rulekit.web.errors.ApiError` naming the parameter (``?as_of``)
or ``$`` for the body, with the status an HTTP client expects: 400 for a bad parameter, 411
for a body without a length, 413 for one over the limit, 415 for a wrong content type, 408
for a body that stops arriving. The patterns of certification and track ids are read from
the dossier's JSON Schema, so that a query parameter and a dossier field accept exactly the
same text.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import IO, Any
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request

from rulekit.calendar import parse_iso_date
from rulekit.errors import DossierError, InputError
from rulekit.schemas import load_schema
from rulekit.web.errors import ApiError, problem


def _schema_pattern(field: str) -> re.Pattern[str]:
    options = load_schema("dossier")["properties"][field]["anyOf"]
    text = next(option["pattern"] for option in options if option.get("type") == "string")
    return re.compile(text.removeprefix("^").removesuffix("$"), re.ASCII)


CERTIFICATION_ID = _schema_pattern("certification")
TRACK_ID = _schema_pattern("track")
RULESET_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", re.ASCII)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
BOOLEANS = {"true": True, "false": False}
MAX_QUERY_FIELDS = 20

JSON_TYPES = ("application/json",)
JSON_LINES_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")


def query(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    """Return the query parameters, each given once and among ``allowed``.

    :raises ApiError: 400 listing every unknown, repeated or undecodable parameter.
    """
    raw = request.scope.get("query_string", b"").decode("latin-1")
    try:
        pairs = parse_qsl(
            raw, keep_blank_values=True, encoding="utf-8", errors="strict",
            max_num_fields=MAX_QUERY_FIELDS,
        )  # fmt: skip
    except UnicodeDecodeError:
        raise problem(400, "?", "the query string is not UTF-8 once percent-decoded") from None
    except ValueError:
        raise problem(400, "?", f"more than {MAX_QUERY_FIELDS} query parameters") from None
    known = set(allowed)
    errors: list[InputError] = []
    values: dict[str, str] = {}
    for key, value in pairs:
        if key not in known:
            errors.append(
                InputError(f"?{key}", f"unknown parameter; known: {', '.join(sorted(known))}")
            )
        elif key in values:
            errors.append(InputError(f"?{key}", "given more than once"))
        else:
            values[key] = value
    if errors:
        raise ApiError(400, errors)
    return values


def _match(pattern: re.Pattern[str], value: str, name: str, what: str) -> str:
    if pattern.fullmatch(value) is None:
        raise problem(400, f"?{name}", f"{value!r} is not {what}")
    return value


def day(options: Mapping[str, str], name: str) -> date | None:
    """Return the date parameter ``name`` (``YYYY-MM-DD``, ASCII digits), or ``None``."""
    value = options.get(name)
    if value is None:
        return None
    _match(ISO_DATE, value, name, "a date of the form YYYY-MM-DD")
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise problem(400, f"?{name}", str(exc)) from None


def certification(options: Mapping[str, str]) -> str | None:
    """Return ``?certification`` when given, checked against the dossier schema's pattern."""
    value = options.get("certification")
    if value is None:
        return None
    return _match(CERTIFICATION_ID, value, "certification", "a certification id (e.g. casp_36625)")


def track(options: Mapping[str, str]) -> str | None:
    """Return ``?track`` when given, checked against the dossier schema's pattern."""
    value = options.get("track")
    if value is None:
        return None
    return _match(TRACK_ID, value, "track", "a track id (e.g. national)")


def ruleset_version(options: Mapping[str, str]) -> str | None:
    """Return ``?ruleset_version`` when given (letters, digits, ``.``, ``_``, ``-``)."""
    value = options.get("ruleset_version")
    if value is None:
        return None
    return _match(RULESET_VERSION, value, "ruleset_version", "a rule-set version (e.g. 1)")


def flag(options: Mapping[str, str], name: str) -> bool:
    """Return the boolean parameter ``name``: ``true`` or ``false``, default false."""
    value = options.get(name, "false")
    if value not in BOOLEANS:
        raise problem(400, f"?{name}", f"{value!r} is not true or false")
    return BOOLEANS[value]


def choice(options: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """Return the parameter ``name``, one of ``allowed`` (the first by default)."""
    value = options.get(name, allowed[0])
    if value not in allowed:
        raise problem(400, f"?{name}", f"{value!r} is not one of {', '.join(allowed)}")
    return value


def content_type(request: Request, accepted: tuple[str, ...]) -> None:
    """Refuse a body whose media type is not ``accepted`` or whose charset is not UTF-8.

    :raises ApiError: 415.
    """
    header = request.headers.get("content-type")
    if header is None:
        raise problem(415, "$", f"Content-Type is missing; send {accepted[0]}")
    media, *params = (part.strip() for part in header.split(";"))
    if media.lower() not in accepted:
        raise problem(415, "$", f"Content-Type {media!r} is not accepted; send {accepted[0]}")
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            raise problem(415, "$", f"charset {value.strip()!r} is not accepted; send UTF-8")


def declared_length(request: Request, limit: int) -> int | None:
    """Return the body's Content-Length, or ``None`` when it comes chunked.

    :raises ApiError: 411 when neither is given, 413 when it is over ``limit``.
    """
    text = request.headers.get("content-length")
    chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
    if text is None:
        if not chunked:
            raise problem(
                411, "$", "a body is needed: send Content-Length or Transfer-Encoding: chunked"
            )
        return None
    if not (text.isascii() and text.isdigit()):
        raise problem(400, "$", f"Content-Length {text!r} is not a number of bytes")
    length = int(text)
    if length > limit:
        raise problem(413, "$", f"the body is larger than {limit} bytes")
    return length


async def _read(request: Request, timeout: float, take: Callable[[bytes], None]) -> None:
    """Pass each part of the body to ``take``, each within ``timeout`` seconds of the last.

    One timeout covers the whole read, its deadline moved on only when more of the body
    is to come: a body that arrives with its head (most do) costs one timer, not one per
    part, and a body that stops arriving still gets 408 ``timeout`` seconds after its
    last part. It is asyncio's own (:func:`asyncio.timeout`; uvicorn serves on asyncio),
    half the cost of an anyio cancel scope. The ASGI messages are read directly (ASGI
    HTTP spec, ``http.request``); Starlette's ``Request.stream`` would add a generator
    step per part.

    :raises ApiError: 408 when the body stops arriving (and what ``take`` raises).
    :raises ClientDisconnect: when the client went away before the end of the body.
    """
    receive = request.receive
    more = True
    try:
        async with asyncio.timeout(timeout) as deadline:
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnect
                more = message.get("more_body", False)
                if more:
                    deadline.reschedule(asyncio.get_running_loop().time() + timeout)
                chunk: bytes = message.get("body", b"")
                if chunk:
                    take(chunk)
    except TimeoutError:
        raise problem(
            408, "$", f"the body stopped arriving for {timeout:g} s", connection="close"
        ) from None


async def body(request: Request, limit: int, timeout: float) -> bytes:
    """Return the whole body, read with a bound: never more than ``limit`` bytes kept.

    :raises ApiError: 411, 413 (also for a chunked body that goes over) or 408.
    """
    declared_length(request, limit)
    parts: list[bytes] = []
    size = 0

    def take(chunk: bytes) -> None:
        nonlocal size
        size += len(chunk)
        if size > limit:
            raise problem(413, "$", f"the body is larger than {limit} bytes")
        parts.append(chunk)

    await _read(request, timeout, take)
    return parts[0] if len(parts) == 1 else b"".join(parts)


async def spooled_body(request: Request, limit: int, timeout: float) -> IO[bytes]:
    """Return the body in a temporary file (memory up to 1 MiB, then disk), rewound.

    A batch is read whole before its answer starts, so that a client that sends all of
    its body before reading (most do) never waits on a server waiting on it.

    :raises ApiError: as :func:`body`.
    """
    declared_length(request, limit)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
    size = 0

    def take(chunk: bytes) -> None:
        nonlocal size
        size += len(chunk)
        if size > limit:
            raise problem(413, "$", f"the batch is larger than {limit} bytes")
        spool.write(chunk)

    try:
        await _read(request, timeout, take)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def lone_surrogates(data: bytes) -> list[InputError]:
    r"""Return the JSON paths of strings holding a lone UTF-16 surrogate (``"\ud800"``).

    Such a string is valid JSON but not Unicode text: it cannot be written out as UTF-8,
    so it is refused as bad input before anything is evaluated. The bytes are looked at
    first, so a dossier with no surrogate escape costs one scan.
    """
    if _SURROGATE_ESCAPE.search(data) is None:
        return []
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return []  # not JSON: the evaluation reports why
    errors: list[InputError] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str) and _has_surrogate(item):
            errors.append(InputError(path or "$", "text holds a lone UTF-16 surrogate"))
        elif isinstance(item, dict):
            for key, child in item.items():
                if _has_surrogate(key):
                    errors.append(InputError(path or "$", "a key holds a lone UTF-16 surrogate"))
                    continue
                stack.append((f"{path}.{key}" if path else key, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{index}]", child) for index, child in enumerate(item))
    return sorted(errors, key=lambda error: error.path)


def check_text(data: bytes) -> None:
    """Refuse a body holding lone surrogates (:func:`lone_surrogates`).

    :raises DossierError: naming each such string's path.
    """
    errors = lone_surrogates(data)
    if errors:
        raise DossierError(errors)

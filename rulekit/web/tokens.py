"""Bearer tokens of the HTTP service: roles, kept hashed in a file, checked per request.

A token is 32 random bytes (``secrets.token_urlsafe``), shown once when it is made and
never stored: the file keeps its SHA-256 hash, its id and its roles. A fast unsalted hash
is enough for secrets of 256 random bits (no dictionary to try, unlike passwords), and it
keeps the check per request to a microsecond; a slow hash such as scrypt would cost every
request tens of milliseconds for no gain.

Roles:

- ``evaluate``: ``POST /v1/evaluate`` and ``POST /v1/batch``;
- ``record``: ``record=true`` on those (the decision goes into the decision log);
- ``audit``: ``GET /v1/decisions/...`` (recorded dossiers hold personal data).

The file (``rulekit.tokens/1``, JSON) is read again whenever it changes, so a token added
or removed with ``rulekit serve token`` takes effect without a restart.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from attrs import frozen

from rulekit.errors import RulekitError

TOKENS_FORMAT = "rulekit.tokens/1"
TOKENS_ENV = "RULEKIT_TOKENS"
"""The environment variable naming the token file when ``--tokens`` is not given."""
ROLES = ("evaluate", "record", "audit")
_PREFIX = "rk_"


class TokenError(RulekitError):
    """The token file cannot be read or written, or a token request is malformed."""


@frozen
class Token:
    """A token as the file keeps it: never the token itself."""

    id: str
    hash: str
    roles: tuple[str, ...]
    created: str
    note: str = ""


def token_hash(token: str) -> str:
    """Return the stored form of ``token`` (``sha256:`` + hex of its UTF-8 bytes)."""
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _parse(data: Any, path: Path) -> dict[str, Token]:
    if not isinstance(data, dict) or data.get("format") != TOKENS_FORMAT:
        raise TokenError(f"{path} is not a token file ({TOKENS_FORMAT})")
    entries = data.get("tokens")
    if not isinstance(entries, list):
        raise TokenError(f"{path}: 'tokens' is not a list")
    tokens: dict[str, Token] = {}
    for index, entry in enumerate(entries):
        try:
            roles = tuple(entry["roles"])
            token = Token(
                str(entry["id"]),
                str(entry["hash"]),
                roles,
                str(entry["created"]),
                str(entry.get("note", "")),
            )
        except (KeyError, TypeError):
            raise TokenError(f"{path}: tokens[{index}] is not a token entry") from None
        unknown = sorted(set(roles) - set(ROLES))
        if unknown or not token.hash.startswith("sha256:"):
            raise TokenError(f"{path}: tokens[{index}] has unknown roles or hash {unknown}")
        tokens[token.hash] = token
    return tokens


def read_tokens(path: Path) -> dict[str, Token]:
    """Return the tokens of the file at ``path``, by hash.

    :raises TokenError: when it cannot be read or is not a token file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TokenError(
            f"token file {path} does not exist; make one with "
            f"'rulekit serve token add --role evaluate --tokens {path}'"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(f"cannot read token file {path}: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise TokenError(f"token file {path} is not JSON: {exc}") from None
    return _parse(data, path)


def _write(path: Path, tokens: Iterable[Token]) -> None:
    """Replace the file atomically, readable by its owner only."""
    entries = [
        {"id": t.id, "hash": t.hash, "roles": list(t.roles), "created": t.created, "note": t.note}
        for t in tokens
    ]
    text = json.dumps({"format": TOKENS_FORMAT, "tokens": entries}, indent=2) + "\n"
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as exc:
        raise TokenError(f"cannot write token file {path}: {exc.strerror}") from None


def add_token(path: Path, roles: Iterable[str], note: str = "") -> tuple[str, Token]:
    """Make a token with ``roles``, store its hash in ``path`` (created if need be).

    :returns: the token (to show once) and its stored entry.
    :raises TokenError: for an unknown role or a file that cannot be read or written.
    """
    wanted = tuple(sorted(set(roles), key=ROLES.index)) if set(roles) <= set(ROLES) else ()
    if not wanted:
        raise TokenError(f"roles must be among {', '.join(ROLES)}")
    existing = list(read_tokens(path).values()) if path.exists() else []
    token_id = secrets.token_hex(4)
    token = f"{_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entry = Token(token_id, token_hash(token), wanted, created, note)
    _write(path, [*existing, entry])
    return token, entry


def remove_token(path: Path, token_id: str) -> Token:
    """Remove the token ``token_id`` from ``path``; return its entry.

    :raises TokenError: when there is no such token.
    """
    tokens = list(read_tokens(path).values())
    kept = [t for t in tokens if t.id != token_id]
    if len(kept) == len(tokens):
        raise TokenError(f"no token {token_id!r} in {path}")
    _write(path, kept)
    return next(t for t in tokens if t.id == token_id)


class TokenStore:
    """The tokens of one file, read again when its modification time or size changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._tokens: dict[str, Token] = {}
        self._refresh()

    def _refresh(self) -> None:
        try:
            info = self.path.stat()
        except OSError as exc:
            raise TokenError(f"cannot read token file {self.path}: {exc.strerror}") from None
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp != self._stamp:
            self._tokens = read_tokens(self.path)
            self._stamp = stamp

    def find(self, token: str) -> Token | None:
        """Return the entry of ``token``, or ``None`` when it is not a valid token.

        A file made unreadable or invalid while serving keeps the tokens last read: a bad
        edit must not lock every client out.
        """
        with contextlib.suppress(TokenError):
            self._refresh()
        return self._tokens.get(token_hash(token))

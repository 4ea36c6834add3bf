r"""Ed25519 signatures of decision-log records: who may append is who holds the key.

The hash chain (:mod:`rulekit.log.record`) shows that no record was changed *inside* the
log, but anyone able to write to the database can compute hashes too, and so append a
correctly chained record of their own. A signature closes that gap: each record appended by
a writer holding the log's private key carries

    "ed25519:" + key id + ":" + hex(Ed25519-sign(b"rulekit.log-signature/1\n" + hash))

where ``hash`` is the record's own hash (``sha256:...``, which covers its sequence number,
its link to the record before it and its content) and the key id is the first 16 hex
digits of the SHA-256 of the raw 32-byte public key (RFC 8032, section 5.1.5). Only the
public key is needed to check a record; it is kept outside the log (a file given to
``rulekit log verify --public-key``), since a key stored in the log could be replaced with
the log. The private key is read from a file or an environment variable and is never
written to the log.

Ed25519 (RFC 8032) is provided by ``cryptography``: deterministic signatures (the same
record always gets the same bytes), 64-byte signatures and 32-byte keys.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from attrs import frozen
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from rulekit.log.record import LogError

SIGNATURE_CONTEXT = b"rulekit.log-signature/1\n"
"""Prefix of every signed message, so that a log signature means nothing anywhere else."""

SIGNING_KEY_ENV = "RULEKIT_SIGNING_KEY"
"""Environment variable holding the private key itself (PEM text), for writers."""

SIGNING_KEY_FILE_ENV = "RULEKIT_SIGNING_KEY_FILE"
"""Environment variable naming a file that holds the private key (PEM), for writers."""

PUBLIC_KEY_ENV = "RULEKIT_LOG_PUBLIC_KEY"
"""Environment variable naming the public-key file readers check signatures with."""

_PREFIX = "ed25519:"
_KEY_ID_DIGITS = 16
_SIGNATURE_BYTES = 64


def key_id(public: Ed25519PublicKey) -> str:
    """Return the short id of a public key: 16 hex digits of SHA-256 of its raw bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:_KEY_ID_DIGITS]


def _message(record_hash: str) -> bytes:
    return SIGNATURE_CONTEXT + record_hash.encode("ascii")


class Signer:
    """Signs the records a writer appends, with a private key held in memory only."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.key_id = key_id(private.public_key())

    def sign(self, record_hash: str) -> str:
        """Return the stored signature text of the record whose hash is ``record_hash``."""
        signature = self._private.sign(_message(record_hash))
        return f"{_PREFIX}{self.key_id}:{signature.hex()}"

    def __repr__(self) -> str:  # never show key material, even in a traceback
        return f"Signer(key_id={self.key_id!r})"


@frozen
class SignatureCheck:
    """The result of checking one record's signature: ``None`` problem when it is valid."""

    key_id: str | None
    problem: str | None


class Verifier:
    """Checks record signatures against one or more trusted public keys (by key id)."""

    def __init__(self, keys: Iterable[Ed25519PublicKey]) -> None:
        self.keys = {key_id(key): key for key in keys}
        if not self.keys:
            raise LogError("no public key given to check signatures with")

    def check(self, record_hash: str, signature: str | None) -> SignatureCheck:
        """Check ``signature`` (as stored) on the record whose hash is ``record_hash``."""
        if signature is None:
            return SignatureCheck(None, "it carries no signature")
        parsed = parse_signature(signature)
        if parsed is None:
            return SignatureCheck(None, "its signature is not of the form ed25519:KEYID:HEX")
        signer, raw = parsed
        key = self.keys.get(signer)
        if key is None:
            known = ", ".join(sorted(self.keys))
            return SignatureCheck(
                signer, f"it is signed by key {signer}, which is not a trusted key ({known})"
            )
        try:
            key.verify(raw, _message(record_hash))
        except InvalidSignature:
            return SignatureCheck(signer, f"its signature by key {signer} is not valid")
        return SignatureCheck(signer, None)


def parse_signature(text: str) -> tuple[str, bytes] | None:
    """Return ``(key id, signature bytes)`` of a stored signature, or ``None`` if malformed."""
    if not text.startswith(_PREFIX):
        return None
    signer, sep, digits = text[len(_PREFIX) :].partition(":")
    if not sep or len(signer) != _KEY_ID_DIGITS or len(digits) != 2 * _SIGNATURE_BYTES:
        return None
    try:
        raw = bytes.fromhex(digits)
        int(signer, 16)
    except ValueError:
        return None
    return signer, raw


def signature_key_id(text: str | None) -> str | None:
    """Return the key id a stored signature names, or ``None`` (unsigned or malformed)."""
    if text is None:
        return None
    parsed = parse_signature(text)
    return parsed[0] if parsed else None


def private_key_from_pem(data: bytes, source: str) -> Signer:
    """Return a signer for the PEM private key ``data``; ``source`` names it in errors.

    :raises LogError: when ``data`` is not an unencrypted Ed25519 private key in PEM.
    """
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise LogError(
            f"{source} does not hold an unencrypted Ed25519 private key in PEM "
            "(make one with 'rulekit log keygen')"
        )
    return Signer(key)


def public_key_from_pem(data: bytes, source: str) -> Ed25519PublicKey:
    """Return the Ed25519 public key in the PEM ``data``; ``source`` names it in errors.

    :raises LogError: when ``data`` is not one.
    """
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise LogError(
            f"{source} does not hold an Ed25519 public key in PEM "
            "(the .pub file written by 'rulekit log keygen')"
        )
    return key


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LogError(f"cannot read {what} {path}: {exc.strerror}") from None


def load_signer(path: Path | None, environ: Mapping[str, str] | None = None) -> Signer | None:
    """Return the writer's signer: from ``path``, else the environment, else ``None``.

    The environment gives either the key itself (:data:`SIGNING_KEY_ENV`, PEM text) or a
    file holding it (:data:`SIGNING_KEY_FILE_ENV`). ``None`` means an unsigned log.

    :raises LogError: when a key is named but cannot be read or is not an Ed25519 key.
    """
    env = os.environ if environ is None else environ
    if path is not None:
        return private_key_from_pem(_read(path, "signing key"), f"signing key file {path}")
    text = env.get(SIGNING_KEY_ENV)
    if text:
        return private_key_from_pem(text.encode("utf-8"), f"${SIGNING_KEY_ENV}")
    named = env.get(SIGNING_KEY_FILE_ENV)
    if named:
        file = Path(named)
        return private_key_from_pem(_read(file, "signing key"), f"signing key file {file}")
    return None


def load_verifier(
    paths: Iterable[Path] | None, environ: Mapping[str, str] | None = None
) -> Verifier | None:
    """Return a verifier for the public keys in ``paths``, else :data:`PUBLIC_KEY_ENV`.

    ``None`` when neither names a key: signatures are then not checked.

    :raises LogError: when a named file cannot be read or holds no Ed25519 public key.
    """
    env = os.environ if environ is None else environ
    files = list(paths or [])
    if not files and env.get(PUBLIC_KEY_ENV):
        files = [Path(env[PUBLIC_KEY_ENV])]
    if not files:
        return None
    return Verifier(
        public_key_from_pem(_read(file, "public key"), f"public key file {file}") for file in files
    )


def generate(private_path: Path, public_path: Path) -> str:
    """Write a new key pair (private key readable by its owner only); return its key id.

    Neither file may exist already: an existing key is never overwritten.

    :raises LogError: when a file exists or cannot be written.
    """
    for path in (private_path, public_path):
        if path.exists():
            raise LogError(f"{path} exists; keygen never overwrites a key")
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(private_path, private_pem, 0o600)
    _write_new(public_path, public_pem, 0o644)
    return key_id(private.public_key())


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` (never following or replacing an existing file)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:
        raise LogError(f"cannot create {path}: {exc.strerror}") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)

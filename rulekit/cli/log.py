"""``rulekit log verify|show|export|keygen``: check, read, copy and sign the decision log.

Exit codes: 0 success (``verify``: chain intact, and signed by a given key when
``--public-key`` is given), 1 ``verify`` or ``export`` found a bad record, 2 bad usage, a
log that cannot be read, or (``show``) a log that fails verification.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from rulekit.codec import decision_from_dict
from rulekit.errors import RulekitError
from rulekit.log import DecisionLog, Verifier, log_target, open_log, verify
from rulekit.log.export import check_key, export_lines
from rulekit.log.page import render_page
from rulekit.log.record import MAX_SEQ, LogError
from rulekit.log.signing import PUBLIC_KEY_ENV, generate, load_verifier
from rulekit.log.verify import UNSIGNED_WARNING, VerifyReport, require_intact
from rulekit.report import render

KEY_ENV = "RULEKIT_PSEUDONYM_KEY"
"""Environment variable holding the pseudonymisation key (when no --key-file is given)."""


def _head(text: str) -> tuple[int, str]:
    seq, sep, digest = text.partition(":")
    if (
        not sep
        or not (seq.isascii() and seq.isdigit())
        or len(seq) > len(str(MAX_SEQ))
        or not digest.startswith("sha256:")
    ):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not SEQ:HASH as printed by 'rulekit log verify'"
        )
    return int(seq), digest


def seq_number(text: str) -> int:
    """Parse a record number: ASCII digits, from 1 to :data:`MAX_SEQ` (what a log can hold)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_SEQ)):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a record number (1, 2, ... up to {MAX_SEQ})"
        )
    value = int(text)
    if not 1 <= value <= MAX_SEQ:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a record number (1, 2, ... up to {MAX_SEQ})"
        )
    return value


def public_key_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--public-key FILE`` (repeatable: old and new keys after a rotation)."""
    parser.add_argument(
        "--public-key",
        type=Path,
        action="append",
        metavar="FILE",
        help="check every record's signature with this public key (repeatable; "
        f"default: ${PUBLIC_KEY_ENV})",
    )


def verified(log: DecisionLog, verifier: Verifier | None, upto: int | None) -> None:
    """Refuse a log failing verification up to ``upto``; note unchecked signatures on stderr.

    What ``log show`` and ``replay`` call before they read a record.

    :raises LogError: naming the first bad record.
    """
    report = require_intact(log, verifier=verifier, upto=upto)
    if report.signed and not report.signatures_checked:
        print(
            f"rulekit: note: the log is signed but its signatures were not checked; pass "
            f"--public-key FILE (or set ${PUBLIC_KEY_ENV}) to check them",
            file=sys.stderr,
        )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``log`` sub-command and its own sub-commands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log", metavar="PATH|URL", help="SQLite file or postgresql://... (default: $RULEKIT_LOG)"
    )
    public_key_option(common)
    parser = sub.add_parser(
        "log",
        help="verify, show, export the decision log, or make its signing key",
        description="The append-only decision log (see docs/audit.md).",
    )
    actions = parser.add_subparsers(dest="log_command", required=True, metavar="ACTION")

    check = actions.add_parser(
        "verify",
        parents=[common],
        help="check the hash chain and signatures; name the first bad record",
        description="Check every record's hash, link, recording time and, with "
        "--public-key, signature. Exit 0 intact, 1 a bad record (named), 2 the log cannot "
        "be read.",
    )
    check.add_argument(
        "--expect-head",
        type=_head,
        metavar="SEQ:HASH",
        help="a head printed by an earlier verify: detects removal from the end or rewriting",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=run_verify)

    show = actions.add_parser(
        "show",
        parents=[common],
        help="show one record",
        description="Show one recorded decision: html (a self-contained page for auditors), "
        "json (the record) or text (the jury report).",
    )
    show.add_argument("id", type=seq_number, help="the record number")
    show.add_argument("--format", choices=("html", "json", "text"), default="text")
    show.add_argument("--lang", choices=("fr", "en"), default="fr")
    show.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    show.set_defaults(run=run_show)

    export = actions.add_parser(
        "export",
        parents=[common],
        help="copy the log as JSON Lines, optionally pseudonymised",
        description="Write the log as JSON Lines after verifying it. With --pseudonymise, "
        "learner ids and names become HMAC-SHA256 pseudonyms under a key read from "
        f"--key-file or ${KEY_ENV}; the key is never written.",
    )
    export.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    export.add_argument("--pseudonymise", action="store_true", help="replace learner ids, names")
    export.add_argument("--key-file", type=Path, help="file holding the pseudonymisation key")
    export.set_defaults(run=run_export)

    keygen = actions.add_parser(
        "keygen",
        help="make the key pair that signs the log",
        description="Write a new Ed25519 key pair: the private key (readable by its owner "
        "only) for the writers (--signing-key FILE, $RULEKIT_SIGNING_KEY_FILE or "
        "$RULEKIT_SIGNING_KEY), the public key for auditors (log verify --public-key FILE). "
        "Existing files are never overwritten.",
    )
    keygen.add_argument("private", type=Path, metavar="PRIVATE_KEY_FILE")
    keygen.add_argument("public", type=Path, metavar="PUBLIC_KEY_FILE")
    keygen.set_defaults(run=run_keygen)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LogError(f"cannot write {output}: {exc.strerror}") from None


def _signatures_text(report: VerifyReport) -> str:
    """Return what the report says about signatures, in one or two sentences."""
    keys = ", ".join(report.signers)
    if report.signatures_checked:
        if report.records == 0:
            return "signatures: the log is empty"
        return f"signatures: every record signed by trusted key {keys} ({report.records} checked)"
    if report.signed == 0:
        return UNSIGNED_WARNING
    return (
        f"signatures: {report.signed} of {report.records} records signed (key {keys}) but "
        f"NOT checked: pass --public-key FILE (or set ${PUBLIC_KEY_ENV}) to check them"
    )


def run_verify(args: argparse.Namespace) -> int:
    """Verify the chain; print the head to keep, or the first bad record."""
    verifier = load_verifier(args.public_key)
    with open_log(log_target(args.log)) as log:
        report = verify(log, args.expect_head, verifier=verifier)
    head = f"{report.head[0]}:{report.head[1]}" if report.head else None
    if args.format == "json":
        payload: dict[str, Any] = {
            "format": "rulekit.log-verify/2",
            "log": report.target,
            "ok": report.ok,
            "records_verified": report.records,
            "head": head,
            "signatures": {
                "checked": report.signatures_checked,
                "signed_records": report.signed,
                "keys": list(report.signers),
                "note": None if report.signatures_checked else _signatures_text(report),
            },
            "problem": None
            if report.problem is None
            else {
                "seq": report.problem.seq,
                "kind": report.problem.kind,
                "detail": report.problem.detail,
            },
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif report.problem is None:
        print(f"ok: {report.records} records, chain intact; {report.target}")
        print(_signatures_text(report))
        if head:
            print(f"head: {head}  (keep it; later: rulekit log verify --expect-head {head})")
    else:
        print(f"BAD: {report.problem} ({report.records} records before it verified)")
    return 0 if report.ok else 1


def run_keygen(args: argparse.Namespace) -> int:
    """Write a new signing key pair and say how to use it."""
    key = generate(args.private, args.public)
    print(f"key {key}: private key {args.private} (keep it secret: the writers sign with it)")
    print(f"public key {args.public}: rulekit log verify --public-key {args.public}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one record as html, json or text, once records 1 to it are verified."""
    verifier = load_verifier(args.public_key)
    with open_log(log_target(args.log)) as log:
        record = log.get(args.id)
        verified(log, verifier, args.id)
    if args.format == "html":
        _write(render_page(record, args.lang), args.output)
        return 0
    try:
        decision = json.loads(record.decision)
        dossier = json.loads(record.dossier)
    except ValueError as exc:
        raise LogError(f"record {record.seq} does not hold JSON: {exc}") from None
    if args.format == "json":
        payload = {
            "format": "rulekit.log-record/1",
            "seq": record.seq,
            "recorded_at": record.recorded_at,
            "prev_hash": record.prev_hash,
            "hash": record.hash,
            "signature": record.signature,
            "dossier": dossier,
            "decision": decision,
        }
        _write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", args.output)
        return 0
    header = (
        f"record {record.seq}, recorded at {record.recorded_at}\n"
        f"hash {record.hash}\nprev {record.prev_hash}\n\n"
    )
    try:
        body = render(decision_from_dict(decision), args.lang)
    except Exception:  # an older decision format: show its JSON rather than fail
        body = json.dumps(decision, ensure_ascii=False, indent=2) + "\n"
    _write(header + body, args.output)
    return 0


def _key(args: argparse.Namespace) -> bytes:
    if args.key_file is not None:
        try:
            key = args.key_file.read_bytes().strip()
        except OSError as exc:
            raise LogError(f"cannot read key file {args.key_file}: {exc.strerror}") from None
    else:
        key = os.environ.get(KEY_ENV, "").encode("utf-8")
        if not key:
            raise LogError(f"--pseudonymise needs a key: --key-file PATH or ${KEY_ENV}")
    return check_key(key)


def run_export(args: argparse.Namespace) -> int:
    """Verify the log, then write it (pseudonymised on request) as JSON Lines."""
    if args.key_file is not None and not args.pseudonymise:
        raise RulekitError("--key-file needs --pseudonymise")
    key = _key(args) if args.pseudonymise else None
    verifier = load_verifier(args.public_key)
    with open_log(log_target(args.log)) as log:
        report = verify(log, verifier=verifier)
        if report.problem is not None:
            print(f"rulekit: error: not exported: {report.problem}", file=sys.stderr)
            return 1
        _write("".join(export_lines(log, key)), args.output)
    return 0

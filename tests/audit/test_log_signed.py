"""A signed decision log: a record its writers did not sign is caught, on both back ends.

The finding these tests rerun: a correctly chained record appended at the end of the log
passed ``log verify`` (even with ``--expect-head``), and ``replay`` and ``log show`` never
checked the chain, so such a forged record replayed as IDENTICAL with exit 0.
"""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from attrs import frozen

from rulekit import api
from rulekit.cli import main
from rulekit.cli import replay as replay_cli
from rulekit.log import LogError, load_signer, load_verifier, open_log, verify
from rulekit.log.record import Record, make_record
from rulekit.log.signing import Signer, generate
from rulekit.registry import Registry
from tests.audit import tamper
from tests.audit.helpers import fictitious_dossier, record_many

INSERT = (
    "INSERT INTO rulekit_log (seq, recorded_at, dossier, decision, prev_hash, hash, signature)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@frozen
class Keys:
    """A key pair made by keygen, and the writer's signer loaded from it."""

    private: Path
    public: Path
    signer: Signer


def _keys(directory: Path, name: str) -> Keys:
    private, public = directory / f"{name}.pem", directory / f"{name}.pub"
    generate(private, public)
    signer = load_signer(private, environ={})
    assert signer is not None
    return Keys(private, public, signer)


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    """The log's key pair."""
    return _keys(tmp_path, "signing")


@pytest.fixture
def cli_registry(audit_registry: Registry, monkeypatch: pytest.MonkeyPatch) -> Registry:
    """Make the CLI's evaluate and replay see the fictitious plugin."""
    monkeypatch.setattr(api, "default_registry", lambda: audit_registry)
    monkeypatch.setattr(replay_cli, "default_registry", lambda: audit_registry)
    return audit_registry


def _signed_log(target: str, registry: Registry, keys: Keys, count: int = 3) -> list[Record]:
    recorded = record_many(
        target,
        registry,
        [fictitious_dossier(learner=f"F{i:03}") for i in range(count)],
        signer=keys.signer,
    )
    return [item.record for item in recorded]


def _forge_after(target: str, records: list[Record], signature: str | None) -> Record:
    """Append, going around rulekit, a correctly chained copy of record 1 at the end."""
    last = records[-1]
    forged = make_record(
        last.seq + 1,
        "2024-06-01T09:31:00.000000Z",
        last.hash,
        records[0].dossier,
        records[0].decision,
    )
    row = (*forged.row()[:6], signature)
    tamper.execute(target, [(INSERT, row)])
    return forged


def _verify(target: str, *public: Path) -> tuple[int, str, str] | None:
    """Return the first problem of the log as (seq, kind, detail), checking ``public`` keys."""
    verifier = load_verifier(list(public), environ={}) if public else None
    with open_log(target) as log:
        report = verify(log, verifier=verifier)
    if report.problem is None:
        return None
    return report.problem.seq, report.problem.kind, report.problem.detail


def test_signed_log_verifies_with_its_public_key(
    log_target: str, audit_registry: Registry, keys: Keys
) -> None:
    """Every record of a signed log carries a valid signature by the writers' key."""
    records = _signed_log(log_target, audit_registry, keys)
    assert all(record.signature is not None for record in records)
    verifier = load_verifier([keys.public], environ={})
    with open_log(log_target) as log:
        report = verify(log, verifier=verifier)
    assert report.ok
    assert report.signed == 3
    assert report.signers == (keys.signer.key_id,)
    assert report.signatures_checked


def test_appended_forgery_is_caught_without_the_head(
    log_target: str, audit_registry: Registry, keys: Keys, tmp_path: Path
) -> None:
    """A correctly chained record appended at the end fails verify --public-key.

    Unsigned, it is caught even without the key (a signed log never grows unsigned
    records); signed by another key, or with a signature copied from another record or
    altered, it is caught with the key. The old head does not help the forger: it is
    still in the log, unchanged.
    """
    records = _signed_log(log_target, audit_registry, keys)
    old_head = (records[-1].seq, records[-1].hash)
    _forge_after(log_target, records, None)
    assert _verify(log_target) == (
        4,
        "unsigned",
        "it carries no signature, yet the records before it are signed: rulekit never "
        "appends an unsigned record to a signed log",
    )
    problem = _verify(log_target, keys.public)
    assert problem is not None and problem[:2] == (4, "unsigned")
    with open_log(log_target) as log:
        assert not verify(log, old_head, verifier=load_verifier([keys.public], {})).ok


@pytest.mark.parametrize("how", ["other key", "copied", "altered"])
def test_forged_signature_is_caught(
    log_target: str, audit_registry: Registry, keys: Keys, tmp_path: Path, how: str
) -> None:
    """A signature by an untrusted key, copied from another record, or altered, is forged."""
    records = _signed_log(log_target, audit_registry, keys)
    intruder = _keys(tmp_path, "intruder")
    last = records[-1]
    chained = make_record(
        last.seq + 1, "2024-06-01T09:31:00.000000Z", last.hash, records[0].dossier, b"{}"
    )
    signature = {
        "other key": intruder.signer.sign(chained.hash),
        "copied": records[0].signature,
        "altered": keys.signer.sign(chained.hash)[:-2] + "00",
    }[how]
    if how == "altered" and signature == keys.signer.sign(chained.hash):
        signature = signature[:-2] + "01"
    tamper.execute(log_target, [(INSERT, (*chained.row()[:6], signature))])
    problem = _verify(log_target, keys.public)
    assert problem is not None and problem[:2] == (4, "forged")
    if how == "other key":
        assert f"signed by key {intruder.signer.key_id}, which is not a trusted key" in problem[2]


def test_key_rotation_accepts_each_trusted_key(
    log_target: str, audit_registry: Registry, keys: Keys, tmp_path: Path
) -> None:
    """Records signed by an old and a new key verify against both public keys, not one."""
    records = _signed_log(log_target, audit_registry, keys, count=2)
    new = _keys(tmp_path, "new")
    record_many(log_target, audit_registry, [fictitious_dossier()], signer=new.signer)
    assert records[0].signature is not None
    assert _verify(log_target, keys.public, new.public) is None
    problem = _verify(log_target, keys.public)
    assert problem is not None and problem[:2] == (3, "forged")


def test_unsigned_writer_is_refused_by_a_signed_log(
    log_target: str, audit_registry: Registry, keys: Keys
) -> None:
    """A writer without the key cannot append to a signed log (nothing is written)."""
    _signed_log(log_target, audit_registry, keys, count=1)
    with pytest.raises(LogError, match="is a signed log"):
        record_many(log_target, audit_registry, [fictitious_dossier()])
    with open_log(log_target) as log:
        assert log.head() is not None and log.head()[0] == 1  # type: ignore[index]


def test_private_key_is_never_stored_in_the_log(
    log_target: str, audit_registry: Registry, keys: Keys
) -> None:
    """Neither the PEM nor the raw 32-byte private key appears in any stored value."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    _signed_log(log_target, audit_registry, keys)
    pem = keys.private.read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    body = pem.split(b"\n")[1]
    stored = [*tamper.rows(log_target)]
    for row in stored:
        for value in row:
            data = value if isinstance(value, bytes) else str(value).encode()
            for secret in (raw, raw.hex().encode(), body):
                assert secret not in data
    if not log_target.startswith("postgres"):
        whole = Path(log_target).read_bytes()
        assert raw not in whole and body not in whole


def test_keygen_writes_a_private_file_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Keygen makes a private key readable by its owner only, and refuses existing files."""
    private, public = tmp_path / "k.pem", tmp_path / "k.pub"
    assert main(["log", "keygen", str(private), str(public)]) == 0
    out = capsys.readouterr().out
    assert f"--public-key {public}" in out
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in private.read_bytes()
    assert b"PUBLIC KEY" in public.read_bytes()
    before = private.read_bytes()
    assert main(["log", "keygen", str(private), str(tmp_path / "other.pub")]) == 2
    assert "never overwrites" in capsys.readouterr().err
    assert private.read_bytes() == before


def _record_cli(dossier: Path, *extra: str) -> int:
    return main(
        ["evaluate", str(dossier), "--as-of", "2022-06-01", "--record", "--format", "json", *extra]
    )


def test_cli_signs_with_a_file_or_the_environment_and_verify_checks(
    tmp_path: Path,
    keys: Keys,
    cli_registry: Registry,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--signing-key, $RULEKIT_SIGNING_KEY_FILE and $RULEKIT_SIGNING_KEY all sign."""
    for name in ("RULEKIT_SIGNING_KEY", "RULEKIT_SIGNING_KEY_FILE", "RULEKIT_LOG_PUBLIC_KEY"):
        monkeypatch.delenv(name, raising=False)
    log = tmp_path / "signed.db"
    monkeypatch.setenv("RULEKIT_LOG", str(log))
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps(fictitious_dossier()), encoding="utf-8")
    assert _record_cli(dossier, "--signing-key", str(keys.private)) == 0
    monkeypatch.setenv("RULEKIT_SIGNING_KEY_FILE", str(keys.private))
    assert _record_cli(dossier) == 0
    monkeypatch.delenv("RULEKIT_SIGNING_KEY_FILE")
    monkeypatch.setenv("RULEKIT_SIGNING_KEY", keys.private.read_text(encoding="ascii"))
    assert _record_cli(dossier) == 0
    monkeypatch.delenv("RULEKIT_SIGNING_KEY")
    capsys.readouterr()
    assert _record_cli(dossier) == 2
    assert "is a signed log" in capsys.readouterr().err
    assert main(["log", "verify", "--public-key", str(keys.public)]) == 0
    out = capsys.readouterr().out
    assert f"every record signed by trusted key {keys.signer.key_id} (3 checked)" in out
    assert main(["log", "verify"]) == 0
    assert "NOT checked" in capsys.readouterr().out
    monkeypatch.setenv("RULEKIT_LOG_PUBLIC_KEY", str(keys.public))
    assert main(["log", "verify", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["signatures"] == {
        "checked": True,
        "signed_records": 3,
        "keys": [keys.signer.key_id],
        "note": None,
    }


@pytest.mark.parametrize(
    ("option", "content", "message"),
    [
        ("--signing-key", b"not a key", "does not hold an unencrypted Ed25519 private key"),
        ("--public-key", b"not a key", "does not hold an Ed25519 public key"),
        ("--signing-key", None, "cannot read signing key"),
    ],
)
@pytest.mark.usefixtures("cli_registry")
def test_bad_key_files_exit_2_with_a_reason(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: str,
    content: bytes | None,
    message: str,
) -> None:
    """A key file that is missing or not a key is named, exit 2, and nothing is recorded."""
    log = tmp_path / "log.db"
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps(fictitious_dossier()), encoding="utf-8")
    key = tmp_path / "key"
    if content is not None:
        key.write_bytes(content)
    if option == "--signing-key":
        code = _record_cli(dossier, "--log", str(log), option, str(key))
    else:
        assert _record_cli(dossier, "--log", str(log)) == 0
        capsys.readouterr()
        code = main(["log", "verify", "--log", str(log), option, str(key)])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    if option == "--signing-key":
        assert not log.exists()


def test_unsigned_log_says_what_it_does_not_protect_against(
    log_target: str, audit_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify of an unsigned log passes, saying plainly that an appended record would too."""
    record_many(log_target, audit_registry, [fictitious_dossier()])
    assert main(["log", "verify", "--log", log_target]) == 0
    out = capsys.readouterr().out
    assert "unsigned log" in out
    assert "can append correctly chained records" in out


def test_replay_and_show_refuse_a_forged_record(
    log_target: str,
    audit_registry: Registry,
    cli_registry: Registry,
    keys: Keys,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The forged copy of record 1 no longer replays as IDENTICAL: replay and show refuse it.

    Without the public key the unsigned tail of a signed log is refused; with it, a record
    carrying someone else's signature is too. Records before the forgery still read.
    """
    records = _signed_log(log_target, audit_registry, keys)
    assert main(["replay", "--all", "--log", log_target, "--public-key", str(keys.public)]) == 0
    capsys.readouterr()
    intruder = _keys(keys.private.parent, "intruder")
    last = records[-1]
    forged = make_record(
        4, "2024-06-01T09:31:00.000000Z", last.hash, records[0].dossier, records[0].decision
    )
    tamper.execute(log_target, [(INSERT, (*forged.row()[:6], intruder.signer.sign(forged.hash)))])
    with_key = ["--log", log_target, "--public-key", str(keys.public)]
    for argv in (["replay", "4", *with_key], ["replay", "--all", *with_key]):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert "IDENTICAL" not in captured.out
        assert "fails verification" in captured.err
        assert "record 4: forged" in captured.err
    assert main(["log", "show", "4", *with_key]) == 2
    assert "record 4: forged" in capsys.readouterr().err
    assert main(["log", "show", "3", *with_key]) == 0
    assert main(["replay", "2", *with_key]) == 0


@pytest.mark.parametrize("command", ["replay", "show"])
def test_replay_and_show_refuse_a_broken_chain(
    log_target: str,
    audit_registry: Registry,
    cli_registry: Registry,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    """Even unsigned, an altered record is refused by replay and show, never used."""
    records = record_many(
        log_target, audit_registry, [fictitious_dossier(learner=f"F{i}") for i in range(3)]
    )
    forged = records[1].record.decision.replace(b'"eligible"', b'"not_eligible"')
    tamper.execute(log_target, [("UPDATE rulekit_log SET decision = ? WHERE seq = ?", (forged, 2))])
    argv = ["replay", "3"] if command == "replay" else ["log", "show", "2"]
    assert main([*argv, "--log", log_target]) == 2
    err = capsys.readouterr().err
    assert "record 2: altered" in err


def test_a_log_written_before_signatures_still_reads_and_grows(
    tmp_path: Path, audit_registry: Registry, keys: Keys
) -> None:
    """A SQLite log without the signature column is read as unsigned, and a writer adds it."""
    import sqlite3  # noqa: PLC0415

    target = str(tmp_path / "old.db")
    record_many(target, audit_registry, [fictitious_dossier()])
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("ALTER TABLE rulekit_log DROP COLUMN signature")
    db.close()
    with open_log(target) as log:
        assert verify(log).ok
        assert next(log.records()).signature is None
    later = datetime(2024, 6, 2, tzinfo=UTC)
    record_many(target, audit_registry, [fictitious_dossier()], recorded_at=later)
    with open_log(target) as log:
        report = verify(log)
    assert report.ok and report.records == 2


def test_a_rewritten_chain_is_refused_by_a_reader_holding_the_key(
    log_target: str, audit_registry: Registry, keys: Keys
) -> None:
    """Record 2 changed and every later hash recomputed (signatures kept): refused.

    A reader checks the signature of the last record it reads: it covers that record's
    hash, hence, through the chain, every record before it.
    """
    from rulekit.log.verify import require_intact  # noqa: PLC0415

    records = _signed_log(log_target, audit_registry, keys)
    second = make_record(2, records[1].recorded_at, records[0].hash, records[1].dossier, b"{}")
    third = make_record(
        3, records[2].recorded_at, second.hash, records[2].dossier, records[2].decision
    )
    update = "UPDATE rulekit_log SET decision = ?, prev_hash = ?, hash = ? WHERE seq = ?"
    tamper.execute(
        log_target,
        [
            (update, (third.decision, third.prev_hash, "sha256:" + "f" * 64, 3)),
            (update, (second.decision, second.prev_hash, second.hash, 2)),
            (update, (third.decision, third.prev_hash, third.hash, 3)),
        ],
    )
    verifier = load_verifier([keys.public], environ={})
    with open_log(log_target) as log:
        assert verify(log).ok  # the chain alone is consistent
        with pytest.raises(LogError, match="record 3: forged"):
            require_intact(log, verifier=verifier)
        with pytest.raises(LogError, match="record 2: forged"):
            require_intact(log, verifier=verifier, upto=2)
        assert require_intact(log, verifier=verifier, upto=1).ok
        report = verify(log, verifier=verifier)
    assert report.problem is not None and report.problem.seq == 2

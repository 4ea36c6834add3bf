"""The command line of the audit trail: evaluate --record, log verify|show|export, replay."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from attrs import frozen

from rulekit import api
from rulekit.cli import main
from rulekit.cli import replay as replay_cli
from rulekit.registry import Registry
from tests.audit import tamper
from tests.audit.helpers import fictitious_dossier
from tests.plugins import fictitious_versions as fictitious

KEY = "fictitious-test-key-0123456789"


def _waived_dossier() -> dict[str, Any]:
    """Eligible under version 1 with its internship waived (8 months in the field only)."""
    dossier = fictitious_dossier()
    dossier["learner"]["name"] = "Fictitious <Learner>"
    dossier["experience"] = [
        {"start": "2019-01-01", "end": "2019-06-30", "in_field": False, "fte": 1.0},
        {"start": "2020-01-01", "end": "2020-08-31", "in_field": True, "fte": 1.0},
    ]
    dossier["waivers"][0]["reason"] = "Fictitious <b>reason</b>"
    return dossier


@frozen
class Logged:
    """The log the CLI recorded into, and what recording printed on stderr."""

    path: Path
    err: str


@pytest.fixture
def logged(
    tmp_path: Path,
    audit_registry: Registry,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Logged:
    """A log (named by RULEKIT_LOG) holding two decisions recorded through the CLI."""
    monkeypatch.setattr(api, "default_registry", lambda: audit_registry)
    monkeypatch.setattr(replay_cli, "default_registry", lambda: audit_registry)
    log = tmp_path / "decisions.db"
    monkeypatch.setenv("RULEKIT_LOG", str(log))
    for index, dossier in enumerate((fictitious_dossier(), _waived_dossier())):
        path = tmp_path / f"dossier{index}.json"
        path.write_text(json.dumps(dossier), encoding="utf-8")
        code = main(
            [
                "evaluate",
                str(path),
                "--as-of",
                "2022-06-01",
                "--record",
                "--recorded-at",
                f"2024-06-0{index + 1}T10:00:00+02:00",
                "--format",
                "json",
            ]
        )
        assert code == 0
    return Logged(log, capsys.readouterr().err)


def test_evaluate_record_appends_and_says_where(
    logged: Logged, capsys: pytest.CaptureFixture[str]
) -> None:
    """--record appends before printing, names the record, and keeps the exit code."""
    assert "recorded as record 1" in logged.err
    assert "recorded as record 2" in logged.err
    assert main(["log", "show", "2", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["recorded_at"] == "2024-06-02T08:00:00.000000Z"
    assert shown["dossier"] == _waived_dossier()
    assert shown["decision"]["outcome"] == "eligible"


def test_log_without_record_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--log alone would silently record nothing: it is refused."""
    assert main(["evaluate", "examples/casp_national.json", "--log", str(tmp_path / "x")]) == 2
    assert "--record" in capsys.readouterr().err


def test_verify_prints_the_head_then_names_a_tampered_record(
    logged: Logged, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify exits 0 with the head to keep, then 1 naming the altered record."""
    capsys.readouterr()
    assert main(["log", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 2 records")
    head = out.split("head: ")[1].split()[0]
    tamper.execute(
        str(logged.path),
        [("UPDATE rulekit_log SET recorded_at = ? WHERE seq = 2", ("2024-06-03",))],
    )
    assert main(["log", "verify", "--format", "json", "--expect-head", head]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problem"] == {
        "seq": 2,
        "kind": "altered",
        "detail": "its content does not match its hash",
    }


def test_replay_identical_then_not_installed(
    logged: Logged,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Replay exits 0 when identical, 3 naming the plugin when the version is gone."""
    capsys.readouterr()
    assert main(["replay", "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == (
        "summary mode=exact replayed=2 identical=2 defect=0 not_installed=0 engine_changed=0"
    )
    only_v2 = fictitious.registry(fictitious.VERSION_2, version="0.2.0")
    monkeypatch.setattr(replay_cli, "default_registry", lambda: only_v2)
    assert main(["replay", "1", "--format", "json"]) == 3
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["not_installed"] == 1
    assert "rulekit-fictitious-versions 0.1.0" in payload["results"][0]["detail"]


def test_replay_current_prints_requirement_diffs(
    logged: Logged, capsys: pytest.CaptureFixture[str]
) -> None:
    """--current lists each changed requirement with the declaration change behind it."""
    capsys.readouterr()
    assert (
        main(["replay", "--since", "2024-06-01", "--current", "--rules-as-of", "2024-01-01"]) == 1
    )
    out = capsys.readouterr().out
    assert "#1 " in out
    assert "outcome: eligible -> not_eligible" in out
    assert "because experience.months: 12 -> 18" in out
    assert "because tracks[main].mandatory[FIC104]: added" in out
    assert out.splitlines()[-1].startswith("summary mode=current replayed=2 ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["replay"], "name record IDs"),
        (["replay", "1", "--all"], "not both"),
        (["replay", "1", "--rules-as-of", "2024-01-01"], "needs --current"),
        (["log", "show", "9"], "no record 9"),
    ],
)
def test_usage_errors_exit_2_with_a_reason(
    logged: Logged, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Bad usage exits 2 with a one-line reason, never a traceback."""
    capsys.readouterr()
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_missing_log_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log path that does not exist is an error (exit 2), not an empty log."""
    monkeypatch.delenv("RULEKIT_LOG", raising=False)
    assert main(["log", "verify"]) == 2
    assert "RULEKIT_LOG" in capsys.readouterr().err
    assert main(["log", "verify", "--log", str(tmp_path / "none.db")]) == 2
    assert "no decision log" in capsys.readouterr().err


def test_pseudonymised_export_hides_learners(
    logged: Logged,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Learner ids and names become keyed pseudonyms; no key, name or id is left."""
    out = tmp_path / "export.jsonl"
    monkeypatch.delenv("RULEKIT_PSEUDONYM_KEY", raising=False)
    assert main(["log", "export", "--pseudonymise", "-o", str(out)]) == 2
    assert "needs a key" in capsys.readouterr().err
    monkeypatch.setenv("RULEKIT_PSEUDONYM_KEY", "short")
    assert main(["log", "export", "--pseudonymise", "-o", str(out)]) == 2
    monkeypatch.setenv("RULEKIT_PSEUDONYM_KEY", KEY)
    assert main(["log", "export", "--pseudonymise", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for secret in ("F001", "Fictitious Learner", "Fictitious <Learner>", KEY, "sha256:0000"):
        assert secret not in text
    header, *lines = (json.loads(line) for line in text.splitlines())
    assert header["pseudonymised"] is True
    assert len(lines) == 2
    ids = {line["dossier"]["learner"]["id"] for line in lines}
    ids |= {line["decision"]["learner"]["id"] for line in lines}
    assert len(ids) == 1  # one learner, one pseudonym, in dossiers and decisions alike
    assert next(iter(ids)).startswith("hmac-sha256:")
    key_file = tmp_path / "key"
    key_file.write_text("another-fictitious-key-987654\n")
    other = tmp_path / "other.jsonl"
    assert (
        main(["log", "export", "--pseudonymise", "--key-file", str(key_file), "-o", str(other)])
        == 0
    )
    assert json.loads(other.read_text().splitlines()[1])["dossier"]["learner"]["id"] not in ids
    assert main(["log", "export"]) == 0
    plain = capsys.readouterr().out.splitlines()
    assert json.loads(plain[1])["dossier"]["learner"]["id"] == "F001"
    assert json.loads(plain[2])["hash"].startswith("sha256:")


def test_html_page_is_self_contained(
    logged: Logged, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page shows outcome, requirements, evidence, waiver and timeline, fetching nothing."""
    page = tmp_path / "record.html"
    assert main(["log", "show", "2", "--format", "html", "--lang", "en", "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Eligible" in html
    for requirement in ("Mandatory units", "Optional units", "Professional experience"):
        assert f"<h3>{requirement} " in html
    assert "<h3>Internship " in html
    assert "Fictitious jury" in html
    assert "1 May 2021" in html and "2021-05-01" not in html
    assert "2 June 2024 at 10:00 (Paris time)" in html
    assert "Fictitious &lt;b&gt;reason&lt;/b&gt;" in html
    assert "<b>reason" not in html
    assert "Fictitious &lt;Learner&gt;" in html
    assert html.count("<svg") == 1
    assert "425 days proven of 365 days required" in html
    assert "that is 13.97 months" in html  # 12 × 425 days / 365
    assert "<rect" in html
    for fetching in ("<script", "<link", "src=", "href=", "url(", "@import"):
        assert fetching not in html
    assert "://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert main(["log", "show", "2", "--format", "text", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("record 2, recorded at 2024-06-02T08:00:00.000000Z")
    assert "ELIGIBLE" in text


@pytest.mark.parametrize(
    ("status", "code"),
    [("identical", 0), ("defect", 1), ("engine_changed", 1), ("not_installed", 3)],
)
def test_replay_exit_codes(status: str, code: int) -> None:
    """Byte identity or exit 1 (a defect or an engine upgrade); 3 when a version is missing."""
    assert replay_cli._exit_code(Counter({status: 1}), current=False) == code

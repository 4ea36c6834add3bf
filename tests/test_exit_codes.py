"""Exit codes that cannot lie: a crash is exit 4 with one line, never 1 ("not eligible").

Also: output is UTF-8 whatever the locale, and the one table of exit codes is what
``rulekit --help`` prints and what README.md shows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import rulekit.cli.evaluate
from rulekit.cli import EXIT_CODES, EXIT_INTERNAL, SUBCOMMANDS, main
from tests.conftest import EXAMPLES, ROOT

EXAMPLE = EXAMPLES / "casp_national.json"
BOOM = "boom\nsecond line"


def _boom(*_: Any, **__: Any) -> Any:
    raise RuntimeError(BOOM)


def test_internal_error_is_exit_4_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception no command expected: exit 4, one line naming it, no traceback."""
    monkeypatch.delenv("RULEKIT_DEBUG", raising=False)
    monkeypatch.setattr(rulekit.cli.evaluate, "evaluate", _boom)
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2023-07-01"]) == EXIT_INTERNAL == 4
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "rulekit: internal error (please report): RuntimeError: boom second line "
        "(RULEKIT_DEBUG=1 for details)\n"
    )


def test_debug_prints_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """RULEKIT_DEBUG=1: the traceback, then the same one-line message; still exit 4."""
    monkeypatch.setenv("RULEKIT_DEBUG", "1")
    monkeypatch.setattr(rulekit.cli.evaluate, "evaluate", _boom)
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2023-07-01"]) == 4
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1].startswith("rulekit: internal error (please report): RuntimeError")


def test_memory_error_is_internal_not_a_decision(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def exhausted(*_: Any, **__: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(rulekit.cli.evaluate, "evaluate", exhausted)
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2023-07-01"]) == 4
    assert "MemoryError" in capsys.readouterr().err


def test_os_error_is_exit_2_naming_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    """A file that cannot be read is the machine's problem, exit 2, not an internal error."""
    assert main(["evaluate", "/nonexistent/d.json", "--as-of", "2023-07-01"]) == 2
    assert "cannot read /nonexistent/d.json" in capsys.readouterr().err


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-c", "import sys; from rulekit.cli import main; sys.exit(main())"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_is_utf8_in_a_latin1_or_c_locale(tmp_path: Path, fmt: str) -> None:
    """A name outside Latin-1 under LC_ALL=C and PYTHONIOENCODING=latin-1: UTF-8, exit 0."""
    value = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    value["learner"]["name"] = "Łukasz 日本 Ὀδυσσεύς"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "latin-1"}
    done = _run("evaluate", str(path), "--as-of", "2023-07-01", "--format", fmt, env=env)
    assert done.returncode == 0, done.stderr
    assert "Łukasz 日本 Ὀδυσσεύς" in done.stdout.decode("utf-8")


def test_errors_are_utf8_in_a_c_locale(tmp_path: Path) -> None:
    """An error quoting a value outside ASCII is written too, exit 2."""
    path = tmp_path / "d.json"
    path.write_bytes(EXAMPLE.read_bytes().replace(b'"TET099"', '"ＴＥＴ０９９"'.encode(), 1))
    done = _run("evaluate", str(path), "--as-of", "2023-07-01", env={"LC_ALL": "C"})
    assert done.returncode == 2
    assert "units[0].code: 'ＴＥＴ０９９'" in done.stderr.decode("utf-8")


def test_surrogate_exit_2_in_a_subprocess(tmp_path: Path) -> None:
    """The review's first crash, end to end: exit 2, the path, no traceback."""
    path = tmp_path / "d.json"
    path.write_bytes(EXAMPLE.read_bytes().replace(b"Camille Exemple (fictitious)", b"\\ud800"))
    done = _run("evaluate", str(path), "--as-of", "2023-07-01")
    assert done.returncode == 2
    assert b"learner.name:" in done.stderr and b"Traceback" not in done.stderr


def test_help_prints_the_exit_code_table_for_every_command() -> None:
    """``rulekit --help`` ends with the table; each command's help points to it."""
    done = _run("--help")
    assert done.returncode == 0
    assert EXIT_CODES in done.stdout.decode("utf-8")
    for answering in ("evaluate", "log verify", "replay", "plugin check", "jury check"):
        assert answering in EXIT_CODES
    assert "certifications" in EXIT_CODES and set(SUBCOMMANDS) >= {"evaluate", "replay"}
    sub = _run("evaluate", "--help")
    assert b"Exit codes of every command: rulekit --help." in sub.stdout


def test_readme_shows_the_same_table() -> None:
    """README.md copies the table ``rulekit --help`` prints, line for line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert EXIT_CODES in readme

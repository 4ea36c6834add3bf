"""The session report and a decision page, opened in headless Chromium as a clerk opens them.

Chromium (Debian's ``chromium`` package, which ``.ci/run`` installs) loads each page from
a file with every network feature off; the page must log nothing to the console (a
Content-Security-Policy violation, a script error, a blocked request are all console
messages) and its DOM, once loaded, must hold the texts a clerk looks for. A screenshot
must show more than a blank page. Skipped, saying why, where no Chromium is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from rulekit.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "casp_national.json"
CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium binary on PATH (Debian: apt-get install -y chromium; .ci/run does it)",
)


def _chromium(page: Path, profile: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1200,1600",
        *mode,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _console(stderr: str) -> list[str]:
    """The page's console messages, as Chromium logs them on standard error."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_console_messages_are_detected(tmp_path: Path) -> None:
    """The check itself: a page whose request and script CSP blocks is seen to fail."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        'content="default-src \'none\'"></head><body><img src="http://127.0.0.1:9/x.png">'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    result = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert len(_console(result.stderr)) >= 2, result.stderr


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recorded session of three dossiers (one invalid) with its report and pages."""
    where = tmp_path_factory.mktemp("browser")
    (where / "in").mkdir()
    (where / "in" / "a.json").write_bytes(EXAMPLE.read_bytes())
    (where / "in" / "b.json").write_text('{"format": "rulekit.dossier/1"}', encoding="utf-8")
    other = EXAMPLE.read_text(encoding="utf-8").replace('"A123"', '"A124"')
    (where / "in" / "c.json").write_text(other.replace("UA211G", "UA211X"), encoding="utf-8")
    code = main(
        ["batch", str(where / "in"), "--as-of", "2023-07-01", "--quiet", "--workers", "1",
         "--out", str(where / "out.jsonl"), "--record", "--log", str(where / "d.db"),
         "--report", str(where / "session.html")]
    )  # fmt: skip
    assert code == 0
    return where


@pytest.fixture(scope="module")
def blank_size(tmp_path_factory: pytest.TempPathFactory) -> int:
    """The size of a screenshot of an empty page, to tell a drawn page from a blank one."""
    where = tmp_path_factory.mktemp("blank")
    empty, shot = where / "blank.html", where / "blank.png"
    empty.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    _chromium(empty, where / "profile", f"--screenshot={shot}")
    return shot.stat().st_size


@pytest.mark.parametrize(
    ("page", "texts"),
    [
        (
            "session.html",
            [
                "Contrôle de recevabilité",
                "1er juillet 2023",
                "Exigences le plus souvent manquantes",
                "A123",
                "Recevable",
                "Non recevable en l'état",
                "Dossier invalide",
                "learner",
                "session_files/decision-000001.html",
            ],
        ),
        ("session_files/decision-000001.html", ["A123", "Recevable", "Contrôle de recevabilité"]),
    ],
)
def test_page_loads_without_console_message(
    session: Path, blank_size: int, tmp_path: Path, page: str, texts: list[str]
) -> None:
    """No console message; the loaded DOM holds the key texts; the screenshot is not blank."""
    path = session / page
    result = _chromium(path, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr
    assert _console(result.stderr) == []
    for text in texts:
        assert text in result.stdout, text
    shot = tmp_path / "page.png"
    _chromium(path, tmp_path / "profile", f"--screenshot={shot}")
    assert shot.stat().st_size > 5 * blank_size
